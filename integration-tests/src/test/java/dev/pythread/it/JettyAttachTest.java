package dev.pythread.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Jetty server started without the agent gets it attached while serving; what it does afterwards is audited. */
class JettyAttachTest {

    @Test
    void attachingToARunningJettyAuditsWhatItDoesAfterwards(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("attached.jsonl");
        List<String> options = ChildJvm.FEATURE_VERSION >= 21
                ? List.of("-XX:+EnableDynamicAgentLoading") // else JDK 21+ warns about the attach (JEP 451)
                : List.of();
        try (JettyChild server = JettyChild.start(dir, options)) {
            assertEquals(50, server.hello(50).size());
            ChildJvm.Result attach = ChildJvm.exec(List.of(ChildJvm.JAVA, "-jar", ChildJvm.AGENT_JAR.toString(),
                    Long.toString(server.pid()), "audit=jsonl:" + log));
            assertEquals(0, attach.exitCode(), attach::toString);
            List<String> bodies = server.hello(100);
            assertEquals(100, bodies.stream().filter(body -> body.equals("hello from jetty-pool")).count());
            assertEquals("job 1 started", server.get("/fail"));
            server.awaitStderr("report job 1 failed");
            JettyChild.Output output = server.shutdown();
            assertTrue(output.stderr().contains("Exception in thread \"report-job-1\""), output::toString);
        }
        AuditLog audit = AuditLog.read(log);
        List<JsonNode> records = audit.records();
        List<String> events = records.stream().map(record -> record.get("event").asText()).collect(Collectors.toList());
        assertEquals("pythread.log.start", events.get(0));
        assertTrue(records.stream().anyMatch(record -> record.get("event").asText().equals("_thread.start_new_thread")
                && record.get("args").get(0).asText().contains("report-job-1")), events::toString);
        List<JsonNode> deaths = audit.events("sys.unraisablehook");
        assertEquals(1, deaths.size(), events::toString);
        assertEquals("report-job-1", deaths.get(0).get("thread").get("name").asText());
    }
}
