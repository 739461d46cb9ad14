package dev.pythread.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code dev.pythread.demo.JettyApp} — Jetty 12 with its own thread pool — in a child JVM, driven over loopback:
 * start it, send requests, wait for what it prints, shut it down. Output goes to files, so the child never blocks.
 */
final class JettyChild implements AutoCloseable {

    static final String CLASS_PATH = System.getProperty("pythread.app.classes") + File.pathSeparator
            + System.getProperty("pythread.app.lib") + "/*";
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    /** What one run of the server printed. */
    record Output(List<String> stdout, String stderr) {
    }

    private final Process process;
    private final Path out;
    private final Path err;
    private final int port;

    private JettyChild(Process process, Path out, Path err) throws Exception {
        this.process = process;
        this.out = out;
        this.err = err;
        String line = awaitLine(out, "listening ");
        this.port = Integer.parseInt(line.substring(line.indexOf("listening ") + "listening ".length()).trim());
    }

    /** Starts the server with the given JVM options; its output goes to files in {@code dir}. */
    static JettyChild start(Path dir, List<String> jvmOptions) throws Exception {
        Path out = Files.createTempFile(dir, "jetty", ".out");
        Path err = Files.createTempFile(dir, "jetty", ".err");
        List<String> command = new ArrayList<>(List.of(ChildJvm.JAVA));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", CLASS_PATH, "dev.pythread.demo.JettyApp"));
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            return new JettyChild(process, out, err);
        } catch (Exception | AssertionError e) {
            process.destroyForcibly();
            throw e;
        }
    }

    long pid() {
        return process.pid();
    }

    /** Sends {@code count} concurrent {@code /hello} requests; all must answer 200; returns the bodies. */
    List<String> hello(int count) {
        List<CompletableFuture<HttpResponse<String>>> pending = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            pending.add(CLIENT.sendAsync(request("/hello"), HttpResponse.BodyHandlers.ofString()));
        }
        List<String> bodies = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> response : pending) {
            assertEquals(200, response.join().statusCode());
            bodies.add(response.join().body());
        }
        return bodies;
    }

    /** {@code GET path}: the body of a 200 answer. */
    String get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = CLIENT.send(request(path), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response::body);
        return response.body();
    }

    /** Waits until the server's stderr has a whole line containing {@code text}. */
    String awaitStderr(String text) throws InterruptedException {
        return awaitLine(err, text);
    }

    /** {@code /shutdown}, then waits for the JVM to end with status 0. */
    Output shutdown() throws Exception {
        assertEquals("bye", get("/shutdown"));
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the server did not stop");
        assertEquals(0, process.exitValue(), () -> read(err));
        return new Output(Files.readAllLines(out, StandardCharsets.UTF_8), read(err));
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

    private HttpRequest request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build();
    }

    /** Polls {@code file} until a whole line contains {@code text}; bounded, so a broken child fails the test. */
    private String awaitLine(Path file, String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            String content = read(file);
            int end = content.lastIndexOf('\n');
            for (String line : content.substring(0, Math.max(end, 0)).split("\n")) {
                if (line.contains(text)) {
                    return line;
                }
            }
            if (!process.isAlive()) {
                break;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("never printed '" + text + "': " + read(out) + read(err));
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
