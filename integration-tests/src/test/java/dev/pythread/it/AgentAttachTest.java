package dev.pythread.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code java -jar pythread-agent.jar PID [OPTIONS]} loads the agent into a running JVM. */
class AgentAttachTest {

    static final String CDS_WARNING = "OpenJDK 64-Bit Server VM warning: Sharing is only supported for boot loader "
            + "classes because bootstrap classpath has been appended";

    @Test
    void withoutArgumentsTheCommandPrintsItsUsage() {
        ChildJvm.Result result = ChildJvm.exec(List.of(ChildJvm.JAVA, "-jar", ChildJvm.AGENT_JAR.toString()));
        assertEquals(2, result.exitCode(), result::toString);
        assertTrue(result.stderr().startsWith("usage: java -jar pythread-agent.jar PID [OPTIONS]\n"),
                result::toString);
    }

    @Test
    void aBadOptionIsReportedBeforeAttaching() {
        ChildJvm.Result result = ChildJvm.exec(List.of(ChildJvm.JAVA, "-jar", ChildJvm.AGENT_JAR.toString(),
                "1", "audit=carrier-pigeon"));
        assertEquals(1, result.exitCode(), result::toString);
        assertEquals(List.of("pythread-agent: option audit: unknown sink 'carrier-pigeon'; allowed: jsonl:PATH, "
                + "stderr, jfr, logger, several joined with +"), result.stderrLines());
    }

    /** Under the artifact's Maven name and under a name of the user's own: the target prints the same. */
    @ParameterizedTest
    @ValueSource(strings = {"", "audit-agent.jar"})
    void attachingToARunningJvmAuditsTheThreadsItStartsAfterwards(String rename, @TempDir Path dir) throws Exception {
        Path agentJar = rename.isEmpty() ? ChildJvm.AGENT_JAR : Files.copy(ChildJvm.AGENT_JAR, dir.resolve(rename));
        Path go = dir.resolve("go");
        Path out = dir.resolve("out");
        Path err = dir.resolve("err");
        List<String> command = new ArrayList<>(List.of(ChildJvm.JAVA));
        if (ChildJvm.FEATURE_VERSION >= 21) {
            command.add("-XX:+EnableDynamicAgentLoading"); // else JDK 21+ warns about the attach (JEP 451)
        }
        command.addAll(List.of("-cp", ChildJvm.TEST_CLASSES, "dev.pythread.it.apps.WaitThenStart", go.toString()));
        Process target = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            String pid = ChildJvm.awaitReady(out, target);
            ChildJvm.Result attach = ChildJvm.exec(List.of(ChildJvm.JAVA, "-jar", agentJar.toString(),
                    pid, "audit=stderr,events=_thread.*"));
            assertEquals(0, attach.exitCode(), attach::toString);
            assertEquals("pythread-agent: attached to process " + pid + " with options audit=stderr,events=_thread.*\n",
                    attach.stdout());
            Files.createFile(go);
            assertTrue(target.waitFor(60, TimeUnit.SECONDS), "target did not end");
            assertEquals(0, target.exitValue());
            String stderr = Files.readString(err, StandardCharsets.UTF_8);
            // The JVM's own line when an attached agent's Boot-Class-Path is appended (docs/agent.md), once.
            assertEquals(CDS_WARNING, stderr.split("\n")[0], stderr);
            String[] records = Arrays.stream(stderr.split("\n")).skip(1).toArray(String[]::new);
            assertEquals(1, records.length, stderr);
            assertTrue(records[0].startsWith("{\"seq\":1,"), stderr);
            assertTrue(records[0].matches(".*\"event\":\"_thread.start_new_thread\",\"thread\":\\{\"id\":\\d+,"
                    + "\"name\":\"main\"},\"caller\":\\{\"class\":\"dev.pythread.it.apps.WaitThenStart\",\"method\":\"main\","
                    + "[^}]*},\"args\":\\[\"Thread\\[(#\\d+,)?after-attach,5,main]\",\\[],null]}"), stderr);
        } finally {
            target.destroyForcibly();
        }
    }
}
