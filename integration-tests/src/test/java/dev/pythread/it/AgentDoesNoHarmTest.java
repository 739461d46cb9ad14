package dev.pythread.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Without options the agent changes nothing visible; a bad option stops the JVM with one clear line. */
class AgentDoesNoHarmTest {

    private static final String HELLO = "dev.pythread.it.apps.Hello";

    /** No CDS "bootstrap classpath has been appended" line, no Unsafe warning, no Byte Buddy output. */
    @Test
    void aHelloWorldPrintsExactlyTheSameWithTheAgent() {
        ChildJvm.Result plain = ChildJvm.run(List.of(), HELLO);
        ChildJvm.Result agent = ChildJvm.run(List.of(ChildJvm.agent("")), HELLO);
        assertEquals(List.of("hello from Thread-0"), plain.stdoutLines(), plain::toString);
        assertEquals("", plain.stderr(), plain::toString);
        assertEquals(plain.exitCode(), agent.exitCode(), agent::toString);
        assertEquals(plain.stdout(), agent.stdout(), agent::toString);
        assertEquals(plain.stderr(), agent.stderr(), agent::toString);
    }

    @Test
    void auditStderrWritesOneJsonRecordPerStart() {
        ChildJvm.Result result = ChildJvm.run(List.of(ChildJvm.agent("audit=stderr,events=_thread.*")), HELLO);
        assertEquals(0, result.exitCode(), result::toString);
        // JDK 25 also starts its Common-Cleaner lazily, after premain: a JDK start, audited like any other.
        List<String> records = result.stderrLines().stream().filter(line -> line.contains("Thread-0"))
                .collect(Collectors.toList());
        assertEquals(1, records.size(), result::toString);
        for (String line : result.stderrLines()) {
            assertTrue(line.matches("\\{\"seq\":\\d+,\"time\":.*\"event\":\"_thread.start_new_thread\".*}"), line);
        }
        String record = records.get(0);
        assertTrue(record.matches("\\{\"seq\":\\d+,\"time\":\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z\","
                + "\"pid\":\\d+,\"event\":\"_thread.start_new_thread\",\"thread\":\\{\"id\":\\d+,\"name\":\"main\"},"
                + "\"caller\":\\{\"class\":\"dev.pythread.it.apps.Hello\",\"method\":\"main\",\"file\":\"Hello.java\","
                + "\"line\":\\d+,\"source\":\"[^\"]+\"},"
                + "\"args\":\\[\"Thread\\[(#\\d+,)?Thread-0,5,main]\",\\[],null]}"), record);
    }

    /** An application with its own pythread-api.jar shares the agent's copy: one set of hooks and state. */
    @Test
    void anApplicationsOwnApiJarSharesTheAgentsHooks() {
        ChildJvm.Result result = ChildJvm.runWithClassPath(List.of(ChildJvm.agent("hook=dev.pythread.it.apps.RecordingHook")),
                ChildJvm.TEST_CLASSES + File.pathSeparator + ChildJvm.API_JAR, "dev.pythread.it.apps.SharedApi");
        assertEquals(0, result.exitCode(), result::toString);
        assertEquals(List.of("Audit loaded by null", "event app.event [from the application]", "lock works"),
                result.stdoutLines(), result::toString);
    }

    /**
     * A child-first class loader (a web application's, a plugin host's) with its own pythread-api.jar still gets
     * the agent's copy: its events reach the agent's hooks. Without the agent it defines its own copy, which shows
     * the loader really is child-first.
     */
    @Test
    void aChildFirstLoaderWithItsOwnApiJarSharesTheAgentsHooks() {
        String[] pluginPath = {ChildJvm.TEST_CLASSES, ChildJvm.API_JAR.toString()};
        String classPath = ChildJvm.TEST_CLASSES + File.pathSeparator + ChildJvm.API_JAR;
        ChildJvm.Result plain = ChildJvm.runWithClassPath(List.of(), classPath, "dev.pythread.it.apps.ChildFirstApp",
                pluginPath);
        assertEquals(List.of("plugin loaded by its own loader: true", "plugin's Audit is the bootstrap copy: false",
                "plugin done"), plain.stdoutLines(), plain::toString);
        ChildJvm.Result agent = ChildJvm.runWithClassPath(
                List.of(ChildJvm.agent("hook=dev.pythread.it.apps.RecordingHook")), classPath,
                "dev.pythread.it.apps.ChildFirstApp", pluginPath);
        assertEquals(0, agent.exitCode(), agent::toString);
        List<String> lines = agent.stdoutLines();
        assertEquals("plugin loaded by its own loader: true", lines.get(0), agent::toString);
        assertEquals("plugin's Audit is the bootstrap copy: true", lines.get(1), agent::toString);
        assertEquals("event app.plugin [hello from the plugin]", lines.get(2), agent::toString);
        assertTrue(lines.get(3).startsWith("start-function dev.pythread.it.apps.ChildFirstPlugin$$Lambda"),
                "PyThread's own event, once (its Worker class is the agent's): " + agent);
        assertEquals("plugin done", lines.get(lines.size() - 1), agent::toString);
        assertEquals(5, lines.size(), agent::toString);
    }

    static Stream<Arguments> badOptions() {
        return Stream.of(
                Arguments.of("foo=1", "unknown option 'foo' in 'foo=1'; allowed: audit, events, unraisable, hook, "
                        + "onfail, caller, policy, chain, key, required, inventory"),
                Arguments.of("audit", "bad option 'audit': expected key=value, with a key among audit, events, "
                        + "unraisable, hook, onfail, caller, policy, chain, key, required, inventory"),
                Arguments.of("audit=syslog", "option audit: unknown sink 'syslog'; allowed: jsonl:PATH, stderr, jfr, "
                        + "logger, several joined with +"),
                Arguments.of("audit=jsonl:/nonexistent/dir/a.jsonl", "option audit: cannot open "
                        + "jsonl:/nonexistent/dir/a.jsonl for appending (NoSuchFileException: /nonexistent/dir/a.jsonl)"),
                Arguments.of("unraisable=maybe", "option unraisable: bad value 'maybe'; allowed: jvm, python"),
                Arguments.of("onfail=ignore", "option onfail: bad value 'ignore'; allowed: warn, deny"),
                Arguments.of("caller=stack", "option caller: bad value 'stack'; allowed: frame, off"),
                Arguments.of("events=a++b", "option events: empty pattern in 'a++b'; allowed: event-name globs "
                        + "(* and ?) joined with +, e.g. _thread.*+sys.unraisablehook"),
                Arguments.of("hook=java.lang.String", "option hook: class java.lang.String implements neither "
                        + "dev.pythread.Audit.AuditHook nor dev.pythread.Unraisable.UnraisableHook"),
                Arguments.of("hook=no.such.Hook", "option hook: class no.such.Hook cannot be loaded from the class "
                        + "path (java.lang.ClassNotFoundException: no.such.Hook)"));
    }

    @ParameterizedTest
    @MethodSource("badOptions")
    void aBadOptionStopsTheJvmWithOneLine(String options, String message) {
        ChildJvm.Result result = ChildJvm.run(List.of(ChildJvm.agent(options)), HELLO);
        assertEquals(1, result.exitCode(), result::toString);
        assertEquals("", result.stdout(), result::toString);
        assertEquals(List.of("pythread-agent: " + message), result.stderrLines(), result::toString);
    }
}
