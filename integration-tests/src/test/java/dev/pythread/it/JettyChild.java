package dev.pythread.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code dev.pythread.demo.JettyApp} — Jetty 12 with its own thread pool — in a child JVM ({@link LoopbackServer}),
 * with what the Jetty tests do to it: requests, the dying job, shutdown, and its {@code app.phase} audit markers.
 */
final class JettyChild implements AutoCloseable {

    static final String CLASS_PATH = System.getProperty("pythread.app.classes") + File.pathSeparator
            + System.getProperty("pythread.app.lib") + "/*";
    private static final AtomicInteger RUNS = new AtomicInteger();

    /** What one run of the server printed. */
    record Output(List<String> stdout, String stderr) {
    }

    private final LoopbackServer server;

    private JettyChild(LoopbackServer server) {
        this.server = server;
    }

    /** Starts the server with the given JVM options; its output goes to files in {@code dir}. */
    static JettyChild start(Path dir, List<String> jvmOptions) throws Exception {
        return new JettyChild(LoopbackServer.start(dir, "jetty-" + RUNS.incrementAndGet(), jvmOptions, CLASS_PATH,
                "dev.pythread.demo.JettyApp"));
    }

    long pid() {
        return server.process.pid();
    }

    /** Sends {@code count} concurrent {@code /hello} requests; all must answer 200; returns the bodies. */
    List<String> hello(int count) {
        List<CompletableFuture<HttpResponse<String>>> pending = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            pending.add(LoopbackServer.CLIENT.sendAsync(server.get("/hello"), HttpResponse.BodyHandlers.ofString()));
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
        HttpResponse<String> response = server.send(path);
        assertEquals(200, response.statusCode(), response::body);
        return response.body();
    }

    /** {@code GET path}, whatever the status. */
    HttpResponse<String> request(String path) throws IOException, InterruptedException {
        return server.send(path);
    }

    /** Waits until the server's stderr has a whole line containing {@code text}. */
    String awaitStderr(String text) throws InterruptedException {
        return server.awaitStderr(text);
    }

    /** {@code /shutdown}, then waits for the JVM to end with status 0. */
    Output shutdown() throws Exception {
        assertEquals("bye", get("/shutdown"));
        assertEquals(0, server.awaitExit(), server::toString);
        return new Output(server.stdoutLines(), server.stderrText());
    }

    @Override
    public void close() {
        server.close();
    }

    /** The index of JettyApp's {@code app.phase} record for {@code phase} ("serving", "stopped") in an audit log. */
    static int indexOfPhase(List<JsonNode> records, String phase) {
        for (int i = 0; i < records.size(); i++) {
            JsonNode record = records.get(i);
            if (record.get("event").asText().equals("app.phase") && record.get("args").get(0).asText().equals(phase)) {
                return i;
            }
        }
        throw new AssertionError("no app.phase " + phase + " record");
    }
}
