package dev.pythread.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The agent jar's file name is not load-bearing: the names a build produces install silently (the manifest's
 * {@code Boot-Class-Path} lists them), any other name installs too, with one line saying how to avoid the JVM's own
 * line; and {@code required=true} ends a JVM whose agent cannot install. The jar under test is the Maven artifact,
 * {@code pythread-agent-VERSION.jar}, copied from the reactor.
 */
class AgentJarNameTest {

    private static final String VERSION = System.getProperty("pythread.agent.version");
    private static final String HELLO = "dev.pythread.it.apps.Hello";
    private static final String HELLO_OUTPUT = "hello from Thread-0";

    @Test
    void theManifestCarriesTheVersionAndListsBothNamesABuildGivesTheJar() throws IOException {
        assertEquals("pythread-agent-" + VERSION + ".jar", ChildJvm.AGENT_JAR.getFileName().toString());
        try (JarFile jar = new JarFile(ChildJvm.AGENT_JAR.toFile())) {
            Attributes main = jar.getManifest().getMainAttributes();
            assertEquals("pythread-agent-" + VERSION + ".jar pythread-agent.jar", main.getValue("Boot-Class-Path"));
            assertEquals(VERSION, main.getValue("Implementation-Version"));
            assertEquals("pythread-agent", main.getValue("Implementation-Title"));
            assertEquals("dev.pythread.agent.Premain", main.getValue("Premain-Class"));
            assertEquals("dev.pythread.agent.Premain", main.getValue("Agent-Class"));
        }
    }

    @Test
    void versionPrintsTheVersion() {
        ChildJvm.Result result = ChildJvm.exec(List.of(ChildJvm.JAVA, "-jar", ChildJvm.AGENT_JAR.toString(),
                "--version"));
        assertEquals(0, result.exitCode(), result::toString);
        assertEquals(List.of("pythread-agent " + VERSION), result.stdoutLines(), result::toString);
        assertEquals("", result.stderr(), result::toString);
    }

    /** Each name alone in its directory: nothing else there that Boot-Class-Path could find instead. */
    @ParameterizedTest
    @ValueSource(strings = {"pythread-agent.jar", "pythread-agent-VERSION.jar"})
    void theNamesABuildGivesTheJarAuditWithNoLineOfOutput(String name, @TempDir Path dir) throws IOException {
        Path jar = copyAgent(dir, name.replace("VERSION", VERSION));
        Path log = dir.resolve("audit.jsonl");
        ChildJvm.Result result = ChildJvm.run(List.of(agent(jar, "audit=jsonl:" + log)), HELLO);
        assertEquals(0, result.exitCode(), result::toString);
        assertEquals(List.of(HELLO_OUTPUT), result.stdoutLines(), result::toString);
        assertEquals("", result.stderr(), result::toString);
        assertAudited(log);
    }

    /**
     * A timestamped snapshot, as a remote repository names it, and a name of the user's own: installed all the same.
     * With class data sharing (the default) the JVM prints its line about the appended boot class path, and the agent
     * one line after it that says what to do; without it, nothing.
     */
    @ParameterizedTest
    @ValueSource(strings = {"pythread-agent-0.1.0-20261204.101010-3.jar", "audit-agent.jar"})
    void anyOtherNameAuditsToo(String name, @TempDir Path dir) throws IOException {
        Path jar = copyAgent(dir, name);
        Path log = dir.resolve("audit.jsonl");
        ChildJvm.Result shared = ChildJvm.run(List.of(agent(jar, "audit=jsonl:" + log)), HELLO);
        assertEquals(0, shared.exitCode(), shared::toString);
        assertEquals(List.of(HELLO_OUTPUT), shared.stdoutLines(), shared::toString);
        assertEquals(List.of(AgentAttachTest.CDS_WARNING, "pythread-agent: " + name + " is not named as its "
                + "manifest's Boot-Class-Path expects (pythread-agent-" + VERSION + ".jar or pythread-agent.jar), so "
                + "it was appended to the boot class path at run time, which made the JVM print the line above; "
                + "rename the jar to one of those names for neither line"), shared.stderrLines(), shared::toString);
        assertAudited(log);

        Path unsharedLog = dir.resolve("unshared.jsonl");
        ChildJvm.Result unshared = ChildJvm.run(List.of("-Xshare:off", agent(jar, "audit=jsonl:" + unsharedLog)),
                HELLO);
        assertEquals(0, unshared.exitCode(), unshared::toString);
        assertEquals(List.of(HELLO_OUTPUT), unshared.stdoutLines(), unshared::toString);
        assertEquals("", unshared.stderr(), unshared::toString);
        assertAudited(unsharedLog);
    }

    /** Under another name the application's own copy of the API is still the agent's: one set of hooks. */
    @Test
    void underAnotherNameTheApplicationSharesTheAgentsApi(@TempDir Path dir) throws IOException {
        Path jar = copyAgent(dir, "audit-agent.jar");
        ChildJvm.Result result = ChildJvm.runWithClassPath(List.of("-Xshare:off",
                agent(jar, "hook=dev.pythread.it.apps.RecordingHook")),
                ChildJvm.TEST_CLASSES + File.pathSeparator + ChildJvm.API_JAR, "dev.pythread.it.apps.SharedApi");
        assertEquals(0, result.exitCode(), result::toString);
        assertEquals(List.of("Audit loaded by null", "event app.event [from the application]", "lock works"),
                result.stdoutLines(), result::toString);
        assertEquals("", result.stderr(), result::toString);
    }

    /**
     * Another agent keeps {@code Thread} from being retransformed. By default the agent says so in one line and the
     * application runs, unaudited; with {@code required=true} the JVM ends before {@code main}, with that line.
     */
    @Test
    void requiredTrueEndsAJvmWhoseAgentCannotInstall(@TempDir Path dir) throws IOException {
        Path conflicting = manifestOnlyJar(dir.resolve("conflicting-agent.jar"), "dev.pythread.it.apps.ConflictingAgent");
        String classPath = ChildJvm.TEST_CLASSES + File.pathSeparator + System.getProperty("pythread.test.lib") + "/*";
        // required=true loads VirtualThread (JDK 21+) to instrument it at once, so it is among the classes named;
        // without it, JDK 25 has sometimes loaded VirtualThread by then (here, with another agent before ours).
        String cause = "(java.lang.UnsupportedOperationException: class redefinition failed: attempted to add a "
                + "method); thread starts and deaths are not audited";
        String failure = "pythread-agent: cannot instrument \\[class java.lang.Thread"
                + (ChildJvm.FEATURE_VERSION >= 21 ? "(, class java.lang.VirtualThread)?" : "") + "] "
                + Pattern.quote(cause);
        String requiredFailure = "pythread-agent: cannot instrument [class java.lang.Thread"
                + (ChildJvm.FEATURE_VERSION >= 21 ? ", class java.lang.VirtualThread" : "") + "] " + cause
                + "; required=true, so the JVM exits";

        ChildJvm.Result warned = ChildJvm.runWithClassPath(List.of("-javaagent:" + conflicting,
                ChildJvm.agent("audit=stderr")), classPath, HELLO);
        assertEquals(0, warned.exitCode(), warned::toString);
        assertEquals(List.of(HELLO_OUTPUT), warned.stdoutLines(), warned::toString);
        assertEquals(1, warned.stderrLines().size(), warned::toString);
        assertTrue(warned.stderrLines().get(0).matches(failure), warned::toString);

        ChildJvm.Result required = ChildJvm.runWithClassPath(List.of("-javaagent:" + conflicting,
                ChildJvm.agent("audit=stderr,required=true")), classPath, HELLO);
        assertEquals(1, required.exitCode(), required::toString);
        assertEquals("", required.stdout(), required::toString);
        assertEquals(List.of(requiredFailure), required.stderrLines(),
                required::toString);
    }

    private static String agent(Path jar, String options) {
        return "-javaagent:" + jar + "=" + options;
    }

    private static Path copyAgent(Path dir, String name) throws IOException {
        return Files.copy(ChildJvm.AGENT_JAR, dir.resolve(name));
    }

    /** A jar with only a manifest naming {@code premainClass}, which the child finds on its class path. */
    private static Path manifestOnlyJar(Path jar, String premainClass) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Premain-Class", premainClass);
        manifest.getMainAttributes().putValue("Can-Retransform-Classes", "true");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream ignored = new JarOutputStream(out, manifest)) {
            return jar;
        }
    }

    /** The log starts with the agent's version and records the start of Hello's thread. */
    private static void assertAudited(Path log) throws IOException {
        AuditLog audit = AuditLog.read(log);
        JsonNode logStart = audit.records().get(0);
        assertEquals("pythread.log.start", logStart.get("event").asText(), audit::toString);
        assertEquals(VERSION, logStart.get("args").get(0).get("agent").asText(), audit::toString);
        assertTrue(audit.startedThreadNames().contains("Thread-0"), audit::toString);
    }
}
