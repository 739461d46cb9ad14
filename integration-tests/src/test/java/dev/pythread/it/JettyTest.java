package dev.pythread.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Jetty 12, a real server nobody here wrote, under the agent in a child JVM, driven over loopback. */
class JettyTest {

    @TempDir
    Path dir;

    /** What one run of the server did. */
    record Run(List<String> stdout, String stderr, List<String> bodies) {
    }

    @Test
    void everyThreadTheServerStartsIsRecordedAndTheDyingJobToo() throws Exception {
        Path log = dir.resolve("jetty.jsonl");
        Run run = serve(List.of(ChildJvm.agent("audit=jsonl:" + log)));
        assertEquals(200, run.bodies().stream().filter(body -> body.equals("hello from jetty-pool")).count(),
                run::toString);
        AuditLog audit = AuditLog.read(log);
        List<JsonNode> records = audit.records();
        int serving = JettyChild.indexOfPhase(records, "serving");
        int stopped = JettyChild.indexOfPhase(records, "stopped");
        long startRecords = audit.slice(serving, stopped).events(AuditLog.START).size();
        String last = run.stdout().get(run.stdout().size() - 1);
        assertEquals("threads started while serving: " + startRecords, last,
                "one start record for each thread the JDK counted as started");
        assertTrue(startRecords >= 2, "the request threads and the report job at least: " + startRecords);
        List<JsonNode> deaths = audit.events("sys.unraisablehook");
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
        Run plain = serve(List.of());
        Run agent = serve(List.of(ChildJvm.agent("")));
        assertEquals(normalise(String.join("\n", plain.stdout())), normalise(String.join("\n", agent.stdout())));
        assertEquals(normalise(plain.stderr()), normalise(agent.stderr()));
        assertEquals(plain.bodies(), agent.bodies());
    }

    /** Starts the server, sends 200 requests and one /fail, waits for the job to die, shuts the server down. */
    private Run serve(List<String> jvmOptions) throws Exception {
        try (JettyChild server = JettyChild.start(dir, jvmOptions)) {
            List<String> bodies = server.hello(200);
            assertEquals("job 1 started", server.get("/fail"));
            server.awaitStderr("report job 1 failed");
            JettyChild.Output output = server.shutdown();
            return new Run(output.stdout(), output.stderr(), bodies);
        }
    }


    /** Ports, thread counts and other numbers differ between any two runs. */
    private static String normalise(String text) {
        return text.replaceAll("\\d+", "N");
    }
}
