package dev.pythread.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Jetty 12, a real server nobody here wrote, under the agent in a child JVM, driven over loopback. */
class JettyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CLASS_PATH = System.getProperty("pythread.app.classes") + java.io.File.pathSeparator
            + System.getProperty("pythread.app.lib") + "/*";
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    /** What one run of the server did. */
    record Run(List<String> stdout, String stderr, List<String> bodies) {
    }

    @Test
    void everyThreadTheServerStartsIsRecordedAndTheDyingJobToo() throws Exception {
        Path log = dir.resolve("jetty.jsonl");
        Run run = serve(List.of(ChildJvm.agent("audit=jsonl:" + log)), log);
        assertEquals(200, run.bodies().stream().filter(body -> body.equals("hello from jetty-pool")).count(),
                run::toString);
        List<JsonNode> records = new ArrayList<>();
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            records.add(JSON.readTree(line));
        }
        int serving = indexOfPhase(records, "serving");
        int stopped = indexOfPhase(records, "stopped");
        long startRecords = records.subList(serving, stopped).stream()
                .filter(record -> record.get("event").asText().equals("_thread.start_new_thread")).count();
        String last = run.stdout().get(run.stdout().size() - 1);
        assertEquals("threads started while serving: " + startRecords, last,
                "one start record for each thread the JDK counted as started");
        assertTrue(startRecords >= 2, "the request threads and the report job at least: " + startRecords);
        List<JsonNode> deaths = records.stream().filter(record -> record.get("event").asText()
                .equals("sys.unraisablehook")).collect(Collectors.toList());
        assertEquals(1, deaths.size(), deaths::toString);
        assertEquals("report-job-1", deaths.get(0).get("thread").get("name").asText());
        assertEquals("java.lang.IllegalStateException", deaths.get(0).get("args").get(1).get("excType").asText());
        assertEquals("report job 1 failed", deaths.get(0).get("args").get(1).get("excMessage").asText());
        assertTrue(run.stderr().contains("Exception in thread \"report-job-1\" java.lang.IllegalStateException: "
                + "report job 1 failed"), "the JVM's own report is still printed: " + run.stderr());
    }

    /** Do no harm: with the agent and no options, Jetty prints what it prints without it (numbers normalised). */
    @Test
    void withNoOptionsJettyPrintsTheSameAsWithoutTheAgent() throws Exception {
        Run plain = serve(List.of(), null);
        Run agent = serve(List.of(ChildJvm.agent("")), null);
        assertEquals(normalise(String.join("\n", plain.stdout())), normalise(String.join("\n", agent.stdout())));
        assertEquals(normalise(plain.stderr()), normalise(agent.stderr()));
        assertEquals(plain.bodies(), agent.bodies());
    }

    /** Starts the server, sends 200 requests and one /fail, waits for the job to die, shuts the server down. */
    private Run serve(List<String> jvmOptions, Path log) throws Exception {
        Path out = Files.createTempFile(dir, "jetty", ".out");
        Path err = Files.createTempFile(dir, "jetty", ".err");
        List<String> command = new ArrayList<>(List.of(ChildJvm.JAVA));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", CLASS_PATH, "dev.pythread.demo.JettyApp"));
        Process server = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            int port = awaitPort(out, server);
            List<CompletableFuture<HttpResponse<String>>> pending = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                pending.add(CLIENT.sendAsync(get(port, "/hello"), HttpResponse.BodyHandlers.ofString()));
            }
            List<String> bodies = new ArrayList<>();
            for (CompletableFuture<HttpResponse<String>> response : pending) {
                assertEquals(200, response.join().statusCode());
                bodies.add(response.join().body());
            }
            assertEquals("job 1 started", CLIENT.send(get(port, "/fail"), HttpResponse.BodyHandlers.ofString()).body());
            awaitText(err, "report job 1 failed", server);
            assertEquals("bye", CLIENT.send(get(port, "/shutdown"), HttpResponse.BodyHandlers.ofString()).body());
            assertTrue(server.waitFor(60, TimeUnit.SECONDS), "the server did not stop");
            assertEquals(0, server.exitValue(), () -> read(err));
            return new Run(Files.readAllLines(out, StandardCharsets.UTF_8), read(err), bodies);
        } finally {
            server.destroyForcibly();
        }
    }

    private static HttpRequest get(int port, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build();
    }

    private static int awaitPort(Path out, Process server) throws Exception {
        String line = awaitText(out, "listening ", server);
        return Integer.parseInt(line.substring(line.indexOf("listening ") + "listening ".length()).trim());
    }

    /** Polls {@code file} until a whole line contains {@code text}; bounded, so a broken child fails the test. */
    private static String awaitText(Path file, String text, Process child) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            for (String line : read(file).split("\n", -1)) {
                if (line.contains(text) && read(file).contains(line + "\n")) {
                    return line;
                }
            }
            if (!child.isAlive()) {
                break;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("never printed '" + text + "': " + read(file));
    }

    private static int indexOfPhase(List<JsonNode> records, String phase) {
        for (int i = 0; i < records.size(); i++) {
            JsonNode record = records.get(i);
            if (record.get("event").asText().equals("app.phase") && record.get("args").get(0).asText().equals(phase)) {
                return i;
            }
        }
        throw new AssertionError("no app.phase " + phase + " record");
    }

    /** Ports, thread counts and other numbers differ between any two runs. */
    private static String normalise(String text) {
        return text.replaceAll("\\d+", "N");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
