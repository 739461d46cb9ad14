package dev.pythread.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
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
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The thread policy in the setting it is made for: a host ({@code PluginHost}) loads {@code plugins/scanner.jar} with a
 * class loader of its own, and the plugin tries every way of getting a thread — its own {@code Thread.start}, the
 * host's helper, the host's pool (which must start a worker for it), a virtual thread, {@code CompletableFuture.runAsync}
 * and the common pool — while the host starts threads of its own before and after.
 */
class PluginHostPolicyTest {

    private static final String HOST = "dev.pythread.it.apps.PluginHost";
    private static final String DENY_PLUGINS = "deny from jar **/plugins/**";

    @TempDir
    Path dir;
    private Path plugins;

    @BeforeEach
    void buildPluginJar() throws IOException {
        plugins = Files.createDirectories(dir.resolve("plugins"));
        Path classes = Path.of(ChildJvm.TEST_CLASSES);
        try (OutputStream file = Files.newOutputStream(plugins.resolve("scanner.jar"));
                JarOutputStream jar = new JarOutputStream(file)) {
            for (String pluginPackage : List.of("dev/pythread/it/apps/plugin", "dev/pythread/plugin")) {
                try (Stream<Path> classFiles = Files.list(classes.resolve(pluginPackage))) {
                    for (Path classFile : (Iterable<Path>) classFiles::iterator) {
                        jar.putNextEntry(new JarEntry(classes.relativize(classFile).toString().replace('\\', '/')));
                        Files.copy(classFile, jar);
                        jar.closeEntry();
                    }
                }
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
        Process host = startAwaitingHost(List.of(), go, out, err, "direct", "pool");
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

    /**
     * Every way found of getting past the policy, tried as an attacker would from the plugin (issue 18): each must be
     * denied with the exact message and a {@code pythread.policy.deny} record, or — under {@code mode report} —
     * leave a start record, while the host's own threads and pool keep working.
     */
    @Nested
    class Bypasses {

        private static final String CLOSED = "pythread-agent's classes are closed to code outside the agent";
        private static final String HOST_WORKS_ON = "ran host-pooled";

        @Test
        void reflectionCannotSwitchThePolicyOffAndIsRecorded() throws Exception {
            Path policy = policy("mode enforce", "default allow", DENY_PLUGINS);
            Path log = dir.resolve("reflect.jsonl");
            ChildJvm.Result result = runHost(List.of(ChildJvm.agent("policy=" + policy + ",audit=jsonl:" + log)),
                    "reflect", "direct");
            assertLinesMatch(List.of("ran host-before",
                    Pattern.quote("reflect refused: Unable to make field private static volatile "
                            + "dev.pythread.agent.ThreadPolicy dev.pythread.agent.ThreadDispatch.policy accessible: "
                            + CLOSED),
                    "reflect trySetAccessible false",
                    Pattern.quote("reflect lookup refused: dev.pythread.agent.ThreadDispatch is not open to class "
                            + "dev.pythread.it.apps.plugin.Scanner: " + CLOSED),
                    Pattern.quote("reflect refused: Unable to make dev.pythread.agent.AgentThread(java.lang.Runnable,"
                            + "java.lang.String) accessible: " + CLOSED),
                    denied("direct", policy, 3, DENY_PLUGINS, "startDirect"), HOST_WORKS_ON, "ran host-after"),
                    result.stdoutLines());
            List<JsonNode> refusals = records(log, "pythread.reflect.deny");
            assertEquals(4, refusals.size(), refusals::toString);
            assertEquals("dev.pythread.it.apps.plugin.Scanner", refusals.get(0).get("args").get(1).asText());
            assertEquals("privateLookupIn(dev.pythread.agent.ThreadDispatch)",
                    refusals.get(2).get("args").get(0).asText());
            assertEquals(1, records(log, "pythread.policy.deny").size());
        }

        /** With no policy at all the agent's state is just as closed: its audit hooks cannot be removed either. */
        @Test
        void reflectionIsRefusedWithoutAPolicyToo() throws Exception {
            Path log = dir.resolve("reflect-nopolicy.jsonl");
            ChildJvm.Result result = runHost(List.of(ChildJvm.agent("audit=jsonl:" + log)), "reflect", "direct");
            List<String> lines = result.stdoutLines();
            assertEquals("reflect trySetAccessible false", lines.get(2), lines::toString);
            assertTrue(lines.contains("ran scan-direct"), lines::toString);
            assertEquals(4, records(log, "pythread.reflect.deny").size());
        }

        @Test
        void aThreadOfTheSystemGroupOrAGroupUnderItIsDecided() throws Exception {
            Path policy = policy("mode enforce", "default allow", DENY_PLUGINS);
            ChildJvm.Result result = runHost(List.of(ChildJvm.agent("policy=" + policy)), "systemgroup",
                    "childofsystem");
            assertLinesMatch(List.of("ran host-before", denied("systemgroup", policy, 3, DENY_PLUGINS, "startInGroup"),
                    denied("childofsystem", policy, 3, DENY_PLUGINS, "startInGroup"), HOST_WORKS_ON, "ran host-after"),
                    result.stdoutLines());
        }

        /**
         * {@code Cleaner.create()} and an {@code HttpClient} give their caller a JDK-internal thread that runs the
         * caller's cleaning actions or callbacks: decided, though the thread's class is the JDK's.
         */
        @Test
        void aCleanerOrHttpClientOfThePluginsOwnIsDecided() throws Exception {
            Path policy = policy("mode enforce", "default allow", DENY_PLUGINS);
            ChildJvm.Result result = runHost(List.of(ChildJvm.agent("policy=" + policy)), "cleaner", "httpclient");
            assertLinesMatch(List.of("ran host-before", denied("cleaner", policy, 3, DENY_PLUGINS, "act"),
                    denied("httpclient", policy, 3, DENY_PLUGINS, "act"), HOST_WORKS_ON, "ran host-after"),
                    result.stdoutLines());
        }

        @Test
        void aShutdownHookIsDecidedWhenItIsRegistered() throws Exception {
            Path enforce = policy("mode enforce", "default allow", DENY_PLUGINS);
            Path log = dir.resolve("hook.jsonl");
            ChildJvm.Result denied = runHost(List.of(ChildJvm.agent("policy=" + enforce + ",audit=jsonl:" + log)),
                    "hook", "host-hook");
            assertLinesMatch(List.of("ran host-before", denied("hook", enforce, 3, DENY_PLUGINS, "act"),
                    deniedAt("host-hook", enforce, 3, DENY_PLUGINS,
                            Pattern.quote("dev.pythread.it.apps.plugin.PluginThread (the thread's class)")),
                    HOST_WORKS_ON, "ran host-after"), denied.stdoutLines());
            List<JsonNode> denials = records(log, "pythread.policy.deny");
            assertEquals(2, denials.size(), denials::toString);
            assertEquals("dev.pythread.it.apps.plugin.PluginThread (the thread's class)",
                    denials.get(1).get("args").get(3).asText());

            Path report = policy("mode report", DENY_PLUGINS);
            Path reportLog = dir.resolve("hook-report.jsonl");
            ChildJvm.Result reported = runHost(List.of(ChildJvm.agent("policy=" + report + ",audit=jsonl:"
                    + reportLog)), "hook");
            assertEquals(List.of("ran host-before", HOST_WORKS_ON, "ran host-after", "ran scan-hook"),
                    reported.stdoutLines());
            assertEquals(1, records(reportLog, "pythread.policy.deny").size());
        }

        /** The host starts a thread of its own, or uses a pool of its own, with what the plugin gave it. */
        @Test
        void thePluginsTaskOrThreadFactoryDecidesAsAFrameWould() throws Exception {
            Path policy = policy("mode enforce", "default allow", DENY_PLUGINS);
            ChildJvm.Result result = runHost(List.of(ChildJvm.agent("policy=" + policy)), "host-task",
                    "host-factory");
            assertLinesMatch(List.of("ran host-before",
                    deniedAt("host-task", policy, 3, DENY_PLUGINS,
                            "dev\\.pythread\\.it\\.apps\\.plugin\\.Scanner\\$\\$Lambda\\S* \\(the thread's task\\)"),
                    deniedAt("host-factory", policy, 3, DENY_PLUGINS,
                            Pattern.quote("dev.pythread.it.apps.plugin.PluginThread (the thread's class)")),
                    HOST_WORKS_ON, "ran host-after"), result.stdoutLines());
        }

        /**
         * Classes the plugin defines where no frame of its jar shows: in a package of the agent's name, hidden, with
         * no code source, or with the host's code source claimed by a loader of the plugin's.
         */
        @Test
        void classesThePluginDefinesAreThePluginsWhateverTheyClaim() throws Exception {
            Path policy = policy("mode enforce", "default allow", DENY_PLUGINS);
            ChildJvm.Result result = runHost(List.of(ChildJvm.agent("policy=" + policy)), "host-run:lookalike",
                    "host-run:hidden", "host-run:nullsource", "host-run:forgedsource");
            String starter = "dev\\.pythread\\.it\\.apps\\.plugin\\.HiddenStarter\\S*"
                    + "\\.run\\(HiddenStarter\\.java:\\d+\\)";
            assertLinesMatch(List.of("ran host-before",
                    deniedAt("host-run:lookalike", policy, 3, DENY_PLUGINS,
                            Pattern.quote("dev.pythread.plugin.AgentLookalike.run(AgentLookalike.java:") + "\\d+\\)"),
                    deniedAt("host-run:hidden", policy, 3, DENY_PLUGINS, starter),
                    deniedAt("host-run:nullsource", policy, 0, "deny from no-code-source", starter),
                    deniedAt("host-run:forgedsource", policy, 3, DENY_PLUGINS, starter),
                    HOST_WORKS_ON, "ran host-after"), result.stdoutLines());
        }

        @Test
        void noCodeSourceIsUntrustedUnlessARuleSaysSo() throws Exception {
            Path strict = policy("mode enforce", "default allow", DENY_PLUGINS);
            ChildJvm.Result denied = runHost(List.of(ChildJvm.agent("policy=" + strict)), "host-nullsource");
            assertLinesMatch(List.of("ran host-before", deniedAt("host-nullsource", strict, 0,
                    "deny from no-code-source", "dev\\.pythread\\.it\\.apps\\.plugin\\.HiddenStarter\\.run\\("
                            + "HiddenStarter\\.java:\\d+\\)"), HOST_WORKS_ON, "ran host-after"), denied.stdoutLines());

            Path trusting = policy("mode enforce", "default allow", DENY_PLUGINS, "allow from no-code-source");
            ChildJvm.Result allowed = runHost(List.of(ChildJvm.agent("policy=" + trusting)), "host-nullsource",
                    "host-run:nullsource");
            assertLinesMatch(List.of("ran host-before", "ran scan-starter",
                    deniedAt("host-run:nullsource", trusting, 3, DENY_PLUGINS, "dev\\.pythread\\.it\\.apps\\.plugin"
                            + "\\.HiddenStarter\\.run\\(HiddenStarter\\.java:\\d+\\)"),
                    HOST_WORKS_ON, "ran host-after"), allowed.stdoutLines());
        }

        @Test
        void attachingToItselfIsDeniedUnderAPolicy() throws Exception {
            Path enforce = policy("mode enforce", "default allow", DENY_PLUGINS);
            Path log = dir.resolve("attach-self.jsonl");
            ChildJvm.Result denied = runHost(List.of("-Djdk.attach.allowAttachSelf=true",
                    ChildJvm.agent("policy=" + enforce + ",audit=jsonl:" + log)), "attach");
            assertEquals(List.of("ran host-before", "attach denied: attach to this JVM denied: the thread policy "
                    + enforce + " allows no agent loaded at run time", HOST_WORKS_ON, "ran host-after"),
                    denied.stdoutLines());
            List<JsonNode> denials = records(log, "pythread.policy.deny");
            assertEquals(1, denials.size(), denials::toString);
            assertEquals("no agent loaded at run time", denials.get(0).get("args").get(2).asText());
            assertTrue(denials.get(0).get("args").get(3).asText().matches("attach to this JVM \\(pid \\d+\\)"),
                    denials::toString);

            Path report = policy("mode report", DENY_PLUGINS);
            ChildJvm.Result reported = runHost(List.of("-Djdk.attach.allowAttachSelf=true",
                    ChildJvm.agent("policy=" + report)), "attach");
            assertEquals(List.of("ran host-before", "ran scan-attach", HOST_WORKS_ON, "ran host-after"),
                    reported.stdoutLines());
        }

        /** Another process loads a Java agent into the host (here pythread's own, a second time): denied. */
        @Test
        void noAgentIsLoadedAtRunTimeUnderAPolicy() throws Exception {
            Path policy = policy("mode enforce", "default allow", DENY_PLUGINS);
            Path log = dir.resolve("agent-load.jsonl");
            Path go = dir.resolve("go");
            Path out = dir.resolve("out");
            Process host = startAwaitingHost(List.of(ChildJvm.agent("policy=" + policy + ",audit=jsonl:" + log)), go,
                    out, dir.resolve("err"), "direct");
            try {
                String pid = ChildJvm.awaitReady(out, host);
                ChildJvm.Result attach = ChildJvm.exec(List.of(ChildJvm.JAVA, "-jar", ChildJvm.AGENT_JAR.toString(),
                        pid, "audit=stderr"));
                assertEquals(1, attach.exitCode(), attach::toString);
                assertTrue(attach.stderr().contains("caused by com.sun.tools.attach.AgentInitializationException"),
                        attach::toString);
                Files.createFile(go);
                assertTrue(host.waitFor(60, TimeUnit.SECONDS), "host did not end");
                assertEquals(0, host.exitValue());
                List<JsonNode> denials = records(log, "pythread.policy.deny");
                assertEquals(2, denials.size(), denials::toString);
                assertEquals("no agent loaded at run time", denials.get(0).get("args").get(2).asText());
                assertTrue(denials.get(0).get("args").get(3).asText().startsWith("agent dev.pythread.agent."),
                        denials::toString);
                assertLinesMatch(List.of("ready " + pid, "ran host-before",
                        denied("direct", policy, 3, DENY_PLUGINS, "startDirect"), HOST_WORKS_ON, "ran host-after"),
                        List.of(Files.readString(out, StandardCharsets.UTF_8).split("\n")));
            } finally {
                host.destroyForcibly();
            }
        }

        /**
         * {@code sun.misc.Unsafe} is beyond any in-process check — on JDK 17 it switches the policy off, as the
         * README says — but JDK 23+ can refuse its memory access, and then the policy holds.
         */
        @Test
        void unsafeIsStoppedOnlyWhereTheJdkRefusesIt() throws Exception {
            Path policy = policy("mode enforce", "default allow", DENY_PLUGINS);
            if (ChildJvm.FEATURE_VERSION < 23) {
                ChildJvm.Result open = runHost(List.of(ChildJvm.agent("policy=" + policy)), "unsafe", "direct");
                assertEquals(List.of("ran host-before", "unsafe wrote the policy", "ran scan-direct", HOST_WORKS_ON,
                        "ran host-after"), open.stdoutLines());
                return;
            }
            ChildJvm.Result closed = runHost(List.of("--sun-misc-unsafe-memory-access=deny",
                    ChildJvm.agent("policy=" + policy)), "unsafe", "direct");
            assertLinesMatch(List.of("ran host-before",
                    Pattern.quote("unsafe refused: java.lang.UnsupportedOperationException: staticFieldBase"),
                    denied("direct", policy, 3, DENY_PLUGINS, "startDirect"), HOST_WORKS_ON, "ran host-after"),
                    closed.stdoutLines());
        }

        /** Under {@code mode report} every one of these threads runs, and each start has its record. */
        @Test
        void reportModeRecordsEveryStartOfEveryRow() throws Exception {
            Path policy = policy("mode report", DENY_PLUGINS);
            Path log = dir.resolve("rows-report.jsonl");
            ChildJvm.Result result = runHost(List.of(ChildJvm.agent("policy=" + policy + ",audit=jsonl:" + log)),
                    "systemgroup", "childofsystem", "host-task", "host-factory", "host-run:lookalike",
                    "host-run:hidden", "host-run:forgedsource");
            assertEquals(List.of("ran host-before", "ran scan-system", "ran scan-childofsystem", "ran scan-task",
                    "ran host-factory-task", "ran scan-lookalike", "ran scan-starter", "ran scan-starter",
                    HOST_WORKS_ON, "ran host-after"), result.stdoutLines());
            assertEquals(7, records(log, "pythread.policy.deny").size());
            assertTrue(startedThreadNames(log).containsAll(List.of("scan-system", "scan-childofsystem", "host-task",
                    "scan-factory", "scan-lookalike", "scan-starter")), () -> "started: " + startedNamesOf(log));
        }

        private ChildJvm.Result runHost(List<String> jvmArgs, String... actions) throws Exception {
            List<String> args = new ArrayList<>(List.of(plugins.toString()));
            args.addAll(List.of(actions));
            ChildJvm.Result result = ChildJvm.run(jvmArgs, HOST, args.toArray(new String[0]));
            assertEquals(0, result.exitCode(), result::toString);
            return result;
        }

        private List<String> startedNamesOf(Path log) {
            try {
                return startedThreadNames(log);
            } catch (IOException e) {
                return List.of(e.toString());
            }
        }
    }

    /**
     * The host, started to wait for {@code go} before its actions (it prints {@code ready PID} first), for a test that
     * attaches meanwhile. JDK 21+ are told dynamic agent loading is expected, else they warn of it (JEP 451).
     */
    private Process startAwaitingHost(List<String> jvmArgs, Path go, Path out, Path err, String... actions)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(ChildJvm.JAVA));
        if (ChildJvm.FEATURE_VERSION >= 21) {
            command.add("-XX:+EnableDynamicAgentLoading");
        }
        command.addAll(jvmArgs);
        command.addAll(List.of("-cp", ChildJvm.TEST_CLASSES, HOST, plugins.toString(), "--await", go.toString()));
        command.addAll(List.of(actions));
        return new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
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
        return deniedAt(action, policy, line, rule,
                Pattern.quote("dev.pythread.it.apps.plugin.Scanner." + method + "(Scanner.java:") + "\\d+\\)");
    }

    /** The same, for a denied frame given as a regular expression. */
    private static String deniedAt(String action, Path policy, int line, String rule, String frameRegex) {
        return Pattern.quote(action + " denied: thread start denied by policy " + policy + " line " + line + " ("
                + rule + "): ") + frameRegex;
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
        return AuditLog.read(log).events(event);
    }

    private static List<String> startedThreadNames(Path log) throws IOException {
        return AuditLog.read(log).startedThreadNames();
    }
}
