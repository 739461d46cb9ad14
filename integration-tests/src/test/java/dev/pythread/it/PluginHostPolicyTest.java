package dev.pythread.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The thread policy in the setting it is made for: a host ({@code PluginHost}) loads {@code plugins/scanner.jar} with a
 * class loader of its own, and the plugin tries every way of getting a thread — its own {@code Thread.start}, the
 * host's helper, the host's pool (which must start a worker for it), a virtual thread, {@code CompletableFuture.runAsync}
 * and the common pool — while the host starts threads of its own before and after.
 */
class PluginHostPolicyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HOST = "dev.pythread.it.apps.PluginHost";
    private static final String DENY_PLUGINS = "deny from jar **/plugins/**";

    @TempDir
    Path dir;
    private Path plugins;

    @BeforeEach
    void buildPluginJar() throws IOException {
        plugins = Files.createDirectories(dir.resolve("plugins"));
        Path classes = Path.of(ChildJvm.TEST_CLASSES);
        Path pluginPackage = classes.resolve("dev/pythread/it/apps/plugin");
        try (OutputStream file = Files.newOutputStream(plugins.resolve("scanner.jar"));
                JarOutputStream jar = new JarOutputStream(file);
                Stream<Path> classFiles = Files.list(pluginPackage)) {
            for (Path classFile : (Iterable<Path>) classFiles::iterator) {
                jar.putNextEntry(new JarEntry(classes.relativize(classFile).toString().replace('\\', '/')));
                Files.copy(classFile, jar);
                jar.closeEntry();
            }
        }
    }

    @Test
    void enforceDeniesEveryPluginStartAndLetsTheHostGoOn() throws Exception {
        Path policy = policy("mode enforce", "default allow", DENY_PLUGINS);
        Path log = dir.resolve("enforce.jsonl");
        ChildJvm.Result result = ChildJvm.run(List.of(ChildJvm.agent("policy=" + policy + ",audit=jsonl:" + log)),
                HOST, hostArgs());
        assertEquals(0, result.exitCode(), result::toString);
        List<String> expected = new ArrayList<>();
        expected.add("ran host-before");
        expected.add(denied("direct", policy, 3, DENY_PLUGINS, "startDirect"));
        expected.add(denied("helper", policy, 3, DENY_PLUGINS, "startThroughHelper"));
        expected.add(denied("pool", policy, 3, DENY_PLUGINS, "submitToHostPool"));
        if (ChildJvm.FEATURE_VERSION >= 21) {
            expected.add(denied("virtual", policy, 3, DENY_PLUGINS, "startVirtual"));
        }
        expected.addAll(List.of("ran scan-async", "ran scan-common", "ran host-pooled", "ran host-after"));
        assertLinesMatch(expected, result.stdoutLines());

        List<JsonNode> denials = records(log, "pythread.policy.deny");
        assertEquals(ChildJvm.FEATURE_VERSION >= 21 ? 4 : 3, denials.size(), denials::toString);
        for (JsonNode denial : denials) {
            assertEquals("enforce", denial.get("args").get(1).asText());
            assertEquals(DENY_PLUGINS, denial.get("args").get(2).asText());
        }
        List<String> started = startedThreadNames(log);
        assertTrue(started.stream().noneMatch(name -> name.startsWith("scan-") || name.equals("plugin-virtual")),
                "a denied start raises no _thread.start_new_thread: " + started);
        assertTrue(started.containsAll(List.of("host-before", "host-after")), started::toString);
    }

    @Test
    void reportModeLetsEveryStartRunAndRecordsEachDenial() throws Exception {
        Path policy = policy("mode report", DENY_PLUGINS);
        Path log = dir.resolve("report.jsonl");
        ChildJvm.Result result = ChildJvm.run(List.of(ChildJvm.agent("policy=" + policy + ",audit=jsonl:" + log)),
                HOST, hostArgs());
        assertEquals(0, result.exitCode(), result::toString);
        List<String> expected = new ArrayList<>(List.of("ran host-before", "ran scan-direct", "ran scan-worker",
                "ran scan-pooled"));
        if (ChildJvm.FEATURE_VERSION >= 21) {
            expected.add("ran plugin-virtual");
        }
        expected.addAll(List.of("ran scan-async", "ran scan-common", "ran host-pooled", "ran host-after"));
        assertEquals(expected, result.stdoutLines());
        List<JsonNode> denials = records(log, "pythread.policy.deny");
        assertEquals(ChildJvm.FEATURE_VERSION >= 21 ? 4 : 3, denials.size(), denials::toString);
        for (JsonNode denial : denials) {
            assertEquals("report", denial.get("args").get(1).asText());
        }
        assertTrue(startedThreadNames(log).containsAll(List.of("scan-direct", "scan-worker")));
    }

    /** {@code PyThread.startNewThread} from the plugin: denied under enforce, run and recorded under report. */
    @Test
    void aStartThroughPyThreadIsDecidedLikeAnyOther() throws Exception {
        Path enforce = policy("mode enforce", "default allow", DENY_PLUGINS);
        ChildJvm.Result denied = ChildJvm.run(List.of(ChildJvm.agent("policy=" + enforce)), HOST,
                plugins.toString(), "pythread");
        assertEquals(0, denied.exitCode(), denied::toString);
        assertLinesMatch(List.of("ran host-before", denied("pythread", enforce, 3, DENY_PLUGINS,
                "startThroughPyThread"), "ran host-pooled", "ran host-after"), denied.stdoutLines());

        Path report = policy("mode report", DENY_PLUGINS);
        Path log = dir.resolve("pythread.jsonl");
        ChildJvm.Result reported = ChildJvm.run(List.of(ChildJvm.agent("policy=" + report + ",audit=jsonl:" + log)),
                HOST, plugins.toString(), "pythread");
        assertEquals(0, reported.exitCode(), reported::toString);
        assertEquals(List.of("ran host-before", "ran scan-pythread", "ran host-pooled", "ran host-after"),
                reported.stdoutLines(), reported::toString);
        List<JsonNode> denials = records(log, "pythread.policy.deny");
        assertEquals(1, denials.size(), denials::toString);
        assertTrue(denials.get(0).get("args").get(3).asText().startsWith(
                "dev.pythread.it.apps.plugin.Scanner.startThroughPyThread("), denials::toString);
    }

    /**
     * A plugin's own {@code ForkJoinWorkerThread} subclass built on the common pool is no common-pool worker: denied,
     * while the plugin's tasks on the real common pool still run.
     */
    @Test
    void aThreadPosingAsACommonPoolWorkerIsDenied() throws Exception {
        Path enforce = policy("mode enforce", "default allow", DENY_PLUGINS);
        ChildJvm.Result result = ChildJvm.run(List.of(ChildJvm.agent("policy=" + enforce)), HOST,
                plugins.toString(), "posingworker", "commonpool");
        assertEquals(0, result.exitCode(), result::toString);
        assertLinesMatch(List.of("ran host-before", denied("posingworker", enforce, 3, DENY_PLUGINS,
                "startPosingWorker"), "ran scan-common", "ran host-pooled", "ran host-after"), result.stdoutLines());
    }

    @Test
    void defaultDenyWithAllowRulesForTheHost() throws Exception {
        Path policy = policy("mode enforce", "default deny", DENY_PLUGINS, "allow from package dev.pythread.it.apps");
        ChildJvm.Result result = ChildJvm.run(List.of(ChildJvm.agent("policy=" + policy)), HOST,
                plugins.toString(), "direct", "runAsync");
        assertEquals(0, result.exitCode(), result::toString);
        assertLinesMatch(List.of("ran host-before", denied("direct", policy, 3, DENY_PLUGINS, "startDirect"),
                "ran scan-async", "ran host-pooled", "ran host-after"), result.stdoutLines());
    }

    /**
     * With the common pool's parallelism forced to 1, JDK 17's {@code CompletableFuture} starts a thread per async
     * task instead of using the pool; the policy counts that thread as the common pool's, so the plugin's
     * {@code runAsync} runs whatever the machine's CPU count.
     */
    @Test
    void runAsyncRunsWhateverTheCommonPoolsParallelism() throws Exception {
        Path policy = policy(DENY_PLUGINS);
        for (String parallelism : List.of("1", "4")) {
            ChildJvm.Result result = ChildJvm.run(List.of(ChildJvm.agent("policy=" + policy),
                    "-Djava.util.concurrent.ForkJoinPool.common.parallelism=" + parallelism), HOST,
                    plugins.toString(), "runAsync", "commonpool");
            assertEquals(0, result.exitCode(), result::toString);
            assertEquals(List.of("ran host-before", "ran scan-async", "ran scan-common", "ran host-pooled",
                    "ran host-after"), result.stdoutLines(), "parallelism " + parallelism);
        }
    }

    @Test
    void aPolicyGivenAtAttachTimeIsEnforcedFromThenOn() throws Exception {
        Path policy = policy("mode enforce", "default allow", DENY_PLUGINS);
        Path log = dir.resolve("attach.jsonl");
        Path go = dir.resolve("go");
        Path out = dir.resolve("out");
        Path err = dir.resolve("err");
        List<String> command = new ArrayList<>(List.of(ChildJvm.JAVA));
        if (ChildJvm.FEATURE_VERSION >= 21) {
            command.add("-XX:+EnableDynamicAgentLoading"); // else JDK 21+ warns about the attach (JEP 451)
        }
        command.addAll(List.of("-cp", ChildJvm.TEST_CLASSES, HOST, plugins.toString(), "--await", go.toString(),
                "direct", "pool"));
        Process host = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            String pid = ChildJvm.awaitReady(out, host);
            ChildJvm.Result attach = ChildJvm.exec(List.of(ChildJvm.JAVA, "-jar", ChildJvm.AGENT_JAR.toString(),
                    pid, "policy=" + policy + ",audit=jsonl:" + log));
            assertEquals(0, attach.exitCode(), attach::toString);
            Files.createFile(go);
            assertTrue(host.waitFor(60, TimeUnit.SECONDS), "host did not end");
            String stdout = Files.readString(out, StandardCharsets.UTF_8);
            assertEquals(0, host.exitValue(), stdout + Files.readString(err, StandardCharsets.UTF_8));
            List<String> lines = List.of(stdout.split("\n"));
            assertLinesMatch(List.of("ready " + pid, "ran host-before",
                    denied("direct", policy, 3, DENY_PLUGINS, "startDirect"),
                    denied("pool", policy, 3, DENY_PLUGINS, "submitToHostPool"), "ran host-pooled", "ran host-after"),
                    lines);
            assertEquals(2, records(log, "pythread.policy.deny").size());
        } finally {
            host.destroyForcibly();
        }
    }

    private String[] hostArgs() {
        List<String> args = new ArrayList<>(List.of(plugins.toString(), "direct", "helper", "pool"));
        if (ChildJvm.FEATURE_VERSION >= 21) {
            args.add("virtual");
        }
        args.addAll(List.of("runAsync", "commonpool"));
        return args.toArray(new String[0]);
    }

    /** A regular expression for the host's line about a denied action: the exact message, any line number. */
    private static String denied(String action, Path policy, int line, String rule, String method) {
        return Pattern.quote(action + " denied: thread start denied by policy " + policy + " line " + line + " ("
                + rule + "): dev.pythread.it.apps.plugin.Scanner." + method + "(Scanner.java:") + "\\d+\\)";
    }

    /** Each line equals, or matches as a regular expression, the expected one. */
    private static void assertLinesMatch(List<String> expected, List<String> actual) {
        assertEquals(expected.size(), actual.size(), () -> "expected " + expected + "\nactual " + actual);
        for (int i = 0; i < expected.size(); i++) {
            String want = expected.get(i);
            String got = actual.get(i);
            assertTrue(got.equals(want) || got.matches(want), "line " + (i + 1) + ": " + got + "\nexpected: " + want);
        }
    }

    private Path policy(String... lines) throws IOException {
        Path file = dir.resolve("threads.policy");
        Files.write(file, List.of(lines), StandardCharsets.UTF_8);
        return file;
    }

    private static List<JsonNode> records(Path log, String event) throws IOException {
        List<JsonNode> found = new ArrayList<>();
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            JsonNode record = JSON.readTree(line);
            if (record.get("event").asText().equals(event)) {
                found.add(record);
            }
        }
        return found;
    }

    /** The names of the threads whose start was recorded, from the {@code Thread.toString()} in each record. */
    private static List<String> startedThreadNames(Path log) throws IOException {
        List<String> names = new ArrayList<>();
        for (JsonNode record : records(log, "_thread.start_new_thread")) {
            String thread = record.get("args").get(0).asText(); // Thread[#21,name,5,main] or Thread[name,5,main]
            String inside = thread.substring(thread.indexOf('[') + 1, thread.lastIndexOf(']'));
            String[] parts = inside.split(",");
            names.add(parts[0].startsWith("#") ? parts[1] : parts[0]);
        }
        return names;
    }
}
