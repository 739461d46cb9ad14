package dev.pythread.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar pythread-agent.jar PID threads [--json]}: the live threads of a JVM running the agent, grouped by
 * the frame (and jar) that started them — against a real Jetty server, a JVM that started 100 000 threads, and a JVM
 * without the agent.
 */
class ThreadsCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String APP_CLASSES = Path.of(System.getProperty("pythread.app.classes")).toAbsolutePath()
            .normalize().toString();
    private static final String TEST_CLASSES = Path.of(ChildJvm.TEST_CLASSES).toAbsolutePath().normalize().toString();

    /** JVM options that let the command load its agent quietly: else JDK 21+ prints JEP 451's warning. */
    private static List<String> attachable(String... options) {
        List<String> all = new ArrayList<>(List.of(options));
        if (ChildJvm.FEATURE_VERSION >= 21) {
            all.add("-XX:+EnableDynamicAgentLoading");
        }
        return all;
    }

    private static ChildJvm.Result threads(long pid, String... more) {
        List<String> command = new ArrayList<>(List.of(ChildJvm.JAVA, "-jar", ChildJvm.AGENT_JAR.toString(),
                Long.toString(pid), "threads"));
        command.addAll(List.of(more));
        return ChildJvm.exec(command);
    }

    @Test
    void jettysPoolThreadsAreJettysAndTheLeakedThreadsTheApplicationsLine(@TempDir Path dir) throws Exception {
        try (JettyChild server = JettyChild.start(dir, attachable(ChildJvm.agent("")))) {
            assertEquals(50, server.hello(50).size());
            for (int i = 1; i <= 3; i++) {
                assertEquals("watcher " + i + " started", server.get("/watch"));
            }
            ChildJvm.Result text = threads(server.pid());
            ChildJvm.Result json = threads(server.pid(), "--json");

            assertEquals(0, text.exitCode(), text::toString);
            assertEquals("", text.stderr());
            List<String> lines = text.stdoutLines();
            assertTrue(Pattern.matches("pythread-agent: \\d+ live threads in process " + server.pid() + " \\(Java "
                    + Pattern.quote(Runtime.version().toString()) + "\\), grouped by who started them", lines.get(0)),
                    text::toString);
            int leak = lines.indexOf("    3  started at dev.pythread.demo.jobs.CacheWatchers.start(CacheWatchers.java:17)"
                    + " in " + APP_CLASSES);
            assertTrue(leak > 0, text::toString);
            for (int i = 1; i <= 3; i++) {
                assertTrue(Pattern.matches("       \"cache-watcher-" + i + "\" #\\d+ (TIMED_WAITING|RUNNABLE), daemon, "
                        + "\\d+\\.\\d s old", lines.get(leak + i)), text::toString);
            }
            assertTrue(lines.stream().anyMatch(line -> Pattern.matches(" +\\d+  started at org\\.eclipse\\.jetty\\.util"
                    + "\\.thread\\.QueuedThreadPool\\.startThread\\(QueuedThreadPool\\.java:\\d+\\) in .*/jetty-util-12[^/]*"
                    + "\\.jar", line)), text::toString);

            assertEquals(0, json.exitCode(), json::toString);
            JsonNode inventory = JSON.readTree(json.stdout());
            assertEquals(server.pid(), inventory.get("pid").asLong());
            int total = 0;
            for (JsonNode group : inventory.get("groups")) {
                total += group.get("count").asInt();
                for (JsonNode thread : group.get("threads")) {
                    String name = thread.get("name").asText();
                    if (name.startsWith("jetty-pool-")) {
                        JsonNode creator = group.get("creator");
                        assertEquals("org.eclipse.jetty.util.thread.QueuedThreadPool", creator.get("class").asText(),
                                group::toString);
                        assertTrue(creator.get("source").asText().matches(".*/jetty-util-12[^/]*\\.jar"),
                                group::toString);
                    }
                }
            }
            assertEquals(inventory.get("threads").asInt(), total);
            JsonNode watchers = groupOf(inventory, "cache-watcher-1");
            assertEquals("{\"class\":\"dev.pythread.demo.jobs.CacheWatchers\",\"method\":\"start\",\"file\":"
                    + "\"CacheWatchers.java\",\"line\":17,\"source\":" + JSON.writeValueAsString(APP_CLASSES) + "}",
                    watchers.get("creator").toString());
            assertEquals(List.of("cache-watcher-1", "cache-watcher-2", "cache-watcher-3"), names(watchers));
            assertEquals("unseen", groupOf(inventory, "main").get("startedBy").asText());

            JettyChild.Output output = server.shutdown();
            assertEquals("", output.stderr(), "the server printed nothing of the two commands");
        }
    }

    @Test
    void aJvmThatStartedOneHundredThousandThreadsHoldsRecordsForItsLiveOnesOnly(@TempDir Path dir) throws Exception {
        try (Churn churn = new Churn(dir, "churn", attachable(ChildJvm.agent("")), 100_000)) {
            long pid = churn.pid;
            ChildJvm.Result json = threads(pid, "--json");
            assertEquals(0, json.exitCode(), json::toString);
            JsonNode inventory = JSON.readTree(json.stdout());
            // Below the first prune threshold (LiveThreads.MIN_PRUNE_AT): 100 000 ended threads left nothing behind.
            assertTrue(inventory.get("records").asInt() < 256, json::toString);
            assertTrue(inventory.get("threads").asInt() < 40, json::toString);
            JsonNode platform = groupOf(inventory, "kept-platform-0");
            assertEquals(List.of("kept-platform-0", "kept-platform-1"), names(platform));
            assertEquals("startKeptPlatform", platform.get("creator").get("method").asText(), platform::toString);
            assertEquals(TEST_CLASSES, platform.get("creator").get("source").asText());
            if (ChildJvm.FEATURE_VERSION >= 21) {
                JsonNode virtual = groupOf(inventory, "kept-virtual-0");
                assertEquals(List.of("kept-virtual-0", "kept-virtual-1", "kept-virtual-2"), names(virtual));
                assertEquals("startKeptVirtual", virtual.get("creator").get("method").asText(), virtual::toString);
                assertTrue(virtual.get("threads").get(0).get("virtual").asBoolean(), virtual::toString);
            }
            assertTrue(!json.stdout().contains("\"short-"), "no ended thread is listed");
            assertEquals("", churn.stderr());
        }
    }

    @Test
    void aJvmWithoutTheAgentIsToldSoAndLeftAlone(@TempDir Path dir) throws Exception {
        try (Churn plain = new Churn(dir, "plain", List.of(), 0)) {
            long pid = plain.pid;
            ChildJvm.Result result = threads(pid);
            assertEquals(1, result.exitCode(), result::toString);
            assertEquals("", result.stdout());
            assertEquals("pythread-agent: process " + pid + " does not run pythread-agent (start it with "
                    + "-javaagent:pythread-agent.jar, or attach it: java -jar pythread-agent.jar " + pid + ")\n",
                    result.stderr());
            assertEquals("", plain.stderr(), "nothing was loaded into it: no warning, no stack trace");
        }
    }

    @Test
    void inventoryOffIsSaidAndABadFormatIsAUsageError(@TempDir Path dir) throws Exception {
        try (Churn off = new Churn(dir, "off", attachable(ChildJvm.agent("inventory=off")), 0)) {
            long pid = off.pid;
            ChildJvm.Result result = threads(pid);
            assertEquals(1, result.exitCode(), result::toString);
            assertEquals("pythread-agent: process " + pid + " runs pythread-agent with inventory=off, so it keeps no "
                    + "record of who started its threads\n", result.stderr());
            ChildJvm.Result usage = threads(pid, "--xml");
            assertEquals(2, usage.exitCode(), usage::toString);
            assertTrue(usage.stderr().startsWith("usage: java -jar pythread-agent.jar PID [OPTIONS]\n"), usage::toString);
            assertEquals("", off.stderr());
        }
    }

    @Test
    void anEnforcedPolicyThatRefusesAgentsAtRunTimeLetsTheCommandThrough(@TempDir Path dir) throws Exception {
        Path policy = dir.resolve("threads.policy");
        Files.writeString(policy, "mode enforce\ndefault allow\n");
        Path log = dir.resolve("audit.jsonl");
        try (Churn guarded = new Churn(dir, "policy",
                attachable(ChildJvm.agent("policy=" + policy + ",audit=jsonl:" + log)), 0)) {
            long pid = guarded.pid;
            ChildJvm.Result result = threads(pid, "--json");
            assertEquals(0, result.exitCode(), result::toString);
            assertEquals(List.of("kept-platform-0", "kept-platform-1"),
                    names(groupOf(JSON.readTree(result.stdout()), "kept-platform-0")));
            assertEquals(List.of(), AuditLog.read(log).events("pythread.policy.deny"), "no policy denial");
            assertEquals("", guarded.stderr());
        }
    }

    /** A {@code ThreadChurn} child JVM, ready (its threads started), killed at the end of the test. */
    private static final class Churn implements AutoCloseable {
        final Process process;
        final long pid;
        final Path stderr;

        /** Starts {@code ThreadChurn STARTS} with {@code jvmOptions} and waits for its {@code ready PID}. */
        Churn(Path dir, String name, List<String> jvmOptions, int starts) throws Exception {
            Path out = dir.resolve(name + ".out");
            stderr = dir.resolve(name + ".err");
            List<String> command = new ArrayList<>(List.of(ChildJvm.JAVA));
            command.addAll(jvmOptions);
            command.addAll(List.of("-cp", ChildJvm.TEST_CLASSES, "dev.pythread.it.apps.ThreadChurn",
                    Integer.toString(starts)));
            process = ChildJvm.startInBackground(command, out, stderr);
            try {
                pid = Long.parseLong(ChildJvm.awaitReady(out, process));
            } catch (Throwable e) {
                process.destroyForcibly();
                throw e;
            }
        }

        String stderr() throws IOException {
            return ChildJvm.read(stderr);
        }

        @Override
        public void close() throws InterruptedException {
            process.destroyForcibly().waitFor();
        }
    }

    private static JsonNode groupOf(JsonNode inventory, String threadName) {
        for (JsonNode group : inventory.get("groups")) {
            for (JsonNode thread : group.get("threads")) {
                if (thread.get("name").asText().equals(threadName)) {
                    return group;
                }
            }
        }
        throw new AssertionError("no thread " + threadName + " in " + inventory);
    }

    private static List<String> names(JsonNode group) {
        List<String> names = new ArrayList<>();
        for (JsonNode thread : group.get("threads")) {
            names.add(thread.get("name").asText());
        }
        return names;
    }
}
