package dev.pythread.it;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A server application in a child JVM, driven over loopback: started with its output in files (never pipes, so a
 * chatty child cannot block), its port read from its {@code listening PORT} line, and every wait bounded, so that a
 * broken child fails a test instead of hanging it. The serving logic of {@link JettyTest}, shared by the tests of
 * other servers.
 */
final class LoopbackServer implements AutoCloseable {

    /** Bounds every wait on a child: for its port, for a line of output, for its exit. */
    static final Duration WAIT = Duration.ofSeconds(60);

    static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    final Process process;
    final Path stdout;
    final Path stderr;
    private final int port;

    private LoopbackServer(Process process, Path stdout, Path stderr, int port) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
        this.port = port;
    }

    /**
     * Starts {@code java JVM-OPTIONS -cp CLASS-PATH MAIN ARGS} with stdout and stderr in {@code dir/NAME.out} and
     * {@code dir/NAME.err}, and waits (bounded) for its {@code listening PORT} line.
     */
    static LoopbackServer start(Path dir, String name, List<String> jvmOptions, String classPath, String mainClass,
                                String... args) throws Exception {
        Path out = dir.resolve(name + ".out");
        Path err = dir.resolve(name + ".err");
        List<String> command = new ArrayList<>(List.of(ChildJvm.JAVA));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classPath, mainClass));
        command.addAll(List.of(args));
        Process process = ChildJvm.startInBackground(command, out, err);
        try {
            String line = awaitLine(out, "listening ", process);
            int port = Integer.parseInt(line.substring(line.indexOf("listening ") + "listening ".length()).trim());
            return new LoopbackServer(process, out, err, port);
        } catch (Throwable e) {
            process.destroyForcibly();
            throw new AssertionError("the server did not start: " + command + "\n--- stderr\n" + read(err), e);
        }
    }

    HttpRequest get(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(WAIT).build();
    }

    /**
     * GET {@code path}, bounded by {@link #WAIT}. A connection that could not be made is tried once more: the request
     * never reached the server, and JDK 17's client once failed a GET to a serving Jetty that way (its own retry of the
     * connect threw {@code ClosedChannelException}) right after the server had answered 201 requests.
     */
    HttpResponse<String> send(String path) throws IOException, InterruptedException {
        try {
            return CLIENT.send(get(path), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException notConnected) {
            Thread.sleep(200);
            return CLIENT.send(get(path), HttpResponse.BodyHandlers.ofString());
        }
    }

    /** Waits (bounded) for a whole line of stdout or stderr containing {@code text}. */
    String awaitStderr(String text) throws InterruptedException {
        return awaitLine(stderr, text, process);
    }

    /** Waits (bounded) for the child to exit and returns its exit status. */
    int awaitExit() throws InterruptedException {
        if (!process.waitFor(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the server did not stop within " + WAIT + "\n--- stdout\n" + read(stdout)
                    + "--- stderr\n" + read(stderr));
        }
        return process.exitValue();
    }

    List<String> stdoutLines() {
        return lines(read(stdout));
    }

    String stderrText() {
        return read(stderr);
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

    @Override
    public String toString() {
        return "--- stdout\n" + read(stdout) + "--- stderr\n" + read(stderr);
    }

    /** Polls {@code file} until a whole (newline-terminated) line contains {@code text}; bounded. */
    static String awaitLine(Path file, String text, Process child) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            String content = read(file);
            int end = content.lastIndexOf('\n');
            if (end >= 0) {
                for (String line : content.substring(0, end).split("\n", -1)) {
                    if (line.contains(text)) {
                        return line;
                    }
                }
            }
            if (!child.isAlive()) {
                break;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("never printed '" + text + "' (alive: " + child.isAlive() + "): " + read(file));
    }

    static List<String> lines(String text) {
        return text.isEmpty() ? List.of() : List.of(text.split("\n"));
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
