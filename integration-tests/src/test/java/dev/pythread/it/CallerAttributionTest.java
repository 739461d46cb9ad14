package dev.pythread.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pythread.it.apps.Callers;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every thread-start record says who started the thread: the nearest frame outside the JDK and the agent. */
class CallerAttributionTest {

    @TempDir
    Path dir;

    @Test
    void startsNameTheApplicationFrameThatCausedThem() throws Exception {
        Path log = dir.resolve("callers.jsonl");
        ChildJvm.Result result = ChildJvm.run(List.of(ChildJvm.agent("audit=jsonl:" + log)),
                "dev.pythread.it.apps.Callers");
        assertEquals(0, result.exitCode(), result::toString);
        Map<String, JsonNode> callers = callersByThreadName(log);
        String testClasses = Path.of(ChildJvm.TEST_CLASSES).toString();

        JsonNode plain = callers.get("by-app");
        assertEquals("dev.pythread.it.apps.Callers", plain.get("class").asText());
        assertEquals("startPlain", plain.get("method").asText());
        assertEquals("Callers.java", plain.get("file").asText());
        assertTrue(plain.get("line").isInt() && plain.get("line").asInt() > 0, plain::toString);
        assertEquals(testClasses, plain.get("source").asText());

        JsonNode worker = callers.get("pool-1-thread-1");
        assertEquals("dev.pythread.it.apps.Callers", worker.get("class").asText(), "the frame that called execute");
        assertEquals("startThroughPool", worker.get("method").asText());

        for (int i = 1; i <= Callers.REFLECTED_STARTS; i++) {
            JsonNode reflected = callers.get("by-reflection-" + i);
            assertEquals("dev.pythread.it.apps.Callers", reflected.get("class").asText(), "start " + i + ": "
                    + reflected);
            assertEquals("startThroughReflection", reflected.get("method").asText());
        }

        assertTrue(callers.get("app-shutdown-hook").isNull(), "the JDK started it on its own: " + callers);
        if (ChildJvm.FEATURE_VERSION >= 21) {
            JsonNode virtual = callers.get("virtual-by-app");
            assertEquals("dev.pythread.it.apps.StartPaths", virtual.get("class").asText());
            assertEquals("startNamedVirtual", virtual.get("method").asText());
        }
    }

    @Test
    void aJettyPoolWorkerNamesJettysClassAndJar() throws Exception {
        Path log = dir.resolve("jetty.jsonl");
        try (JettyChild server = JettyChild.start(dir, List.of(ChildJvm.agent("audit=jsonl:" + log)))) {
            server.hello(20);
            server.shutdown();
        }
        JsonNode worker = callersByThreadName(log).entrySet().stream()
                .filter(entry -> entry.getKey().startsWith("jetty-pool-")).map(Map.Entry::getValue)
                .findFirst().orElseThrow();
        assertEquals("org.eclipse.jetty.util.thread.QueuedThreadPool", worker.get("class").asText());
        assertTrue(worker.get("source").asText().endsWith("jetty-util-12.1.13.jar"), worker::toString);
    }

    @Test
    void callerOffLeavesTheFieldOut() throws Exception {
        Path log = dir.resolve("off.jsonl");
        ChildJvm.Result result = ChildJvm.run(List.of(ChildJvm.agent("audit=jsonl:" + log + ",caller=off")),
                "dev.pythread.it.apps.Callers");
        assertEquals(0, result.exitCode(), result::toString);
        for (JsonNode record : AuditLog.read(log).records()) {
            assertFalse(record.has("caller"), record::toString);
        }
    }

    /** The {@code caller} of each thread-start record, by the started thread's name. */
    private static Map<String, JsonNode> callersByThreadName(Path log) throws Exception {
        Map<String, JsonNode> callers = new HashMap<>();
        for (JsonNode start : AuditLog.read(log).events(AuditLog.START)) {
            assertTrue(start.has("caller"), start::toString);
            callers.put(AuditLog.startedThreadName(start), start.get("caller"));
        }
        return callers;
    }
}
