package dev.pythread.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two agents on one JVM: OpenTelemetry's Java agent 2.22.0 — which rewrites class loaders, executors, Jetty and the
 * HTTP client itself — and pythread-agent with a JSONL sink, in both orders on the command line, on the Jetty server
 * of {@link JettyTest} under the same load. OpenTelemetry's exporters are off ({@code otel.*.exporter=none}): with
 * its defaults it tries to send to {@code localhost:4318} and logs a connection stack trace every export interval.
 *
 * <p>What OpenTelemetry's agent prints on its own, on stderr (measured on JDK 17.0.15 and Temurin 25.0.3 with this
 * server, exporters off): the JVM's CDS warning {@code … warning: Sharing is only supported for boot loader classes
 * because bootstrap classpath has been appended} (its agent appends its bootstrap jar with
 * {@code appendToBootstrapClassLoaderSearch}; once on JDK 17, twice on JDK 25), then one line
 * {@code [otel.javaagent DATE TIME +0000] [main] INFO io.opentelemetry.javaagent.tooling.VersionLogger -
 * opentelemetry-javaagent - version: 2.22.0}. It runs on JDK 25 (its project runs its smoke tests on Java 25 since
 * October 2025), so no JDK is skipped here.
 */
class OpenTelemetryAgentTest {

    private static final String CLASS_PATH = System.getProperty("pythread.app.classes") + File.pathSeparator
            + System.getProperty("pythread.app.lib") + "/*";
    private static final String APP = "dev.pythread.demo.JettyApp";
    private static final Path OTEL_AGENT = Path.of(System.getProperty("pythread.otel.agent")).toAbsolutePath();
    private static final List<String> OTEL_EXPORTERS_OFF = List.of("-Dotel.traces.exporter=none",
            "-Dotel.metrics.exporter=none", "-Dotel.logs.exporter=none");
    private static final int REQUESTS = 200;

    /** The only lines stderr may hold; anything else (an agent's exception, warning or error) fails the test. */
    private static final Pattern CDS_WARNING = Pattern.compile(".* VM warning: Sharing is only supported for boot "
            + "loader classes because bootstrap classpath has been appended");
    private static final Pattern OTEL_VERSION = Pattern.compile("\\[otel\\.javaagent \\d{4}-\\d{2}-\\d{2} "
            + "\\d{2}:\\d{2}:\\d{2}:\\d{3} [+-]\\d{4}] \\[main] INFO io\\.opentelemetry\\.javaagent\\.tooling\\."
            + "VersionLogger - opentelemetry-javaagent - version: 2\\.22\\.0");
    /** The JVM's own report of the job that {@code /fail} starts and that dies: exactly these three lines. */
    private static final String DEATH = "Exception in thread \"report-job-1\" java.lang.IllegalStateException: "
            + "report job 1 failed";
    private static final Pattern DEATH_FRAME_1 = Pattern.compile(
            "\tat dev\\.pythread\\.demo\\.jobs\\.ReportJobs\\.lambda\\$start\\$\\d+\\(ReportJobs\\.java:\\d+\\)");
    private static final Pattern DEATH_FRAME_2 =
            Pattern.compile("\tat java\\.base/java\\.lang\\.Thread\\.run\\(Thread\\.java:\\d+\\)");

    @TempDir
    static Path shared;

    @TempDir
    Path dir;

    /** OpenTelemetry's agent alone on the same server and load: what it prints by itself. */
    private static Run otelAlone;

    enum Order { OTEL_FIRST, PYTHREAD_FIRST }

    /** What one run of the server did. */
    record Run(int exitCode, List<String> stdout, String stderr, List<String> bodies) {
        List<String> stderrLines() {
            return LoopbackServer.lines(stderr);
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + String.join("\n", stdout) + "\n--- stderr\n" + stderr;
        }
    }

    @ParameterizedTest
    @EnumSource(Order.class)
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void bothAgentsOnOneJettyServer(Order order) throws Exception {
        Path log = dir.resolve("jetty.jsonl");
        String pythread = ChildJvm.agent("audit=jsonl:" + log);
        String otel = "-javaagent:" + OTEL_AGENT;
        List<String> options = new ArrayList<>(order == Order.OTEL_FIRST ? List.of(otel, pythread)
                : List.of(pythread, otel));
        options.addAll(OTEL_EXPORTERS_OFF);
        Run run = serve(dir, "both", options);

        // The application: every request answered, the server stopped cleanly.
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(REQUESTS, run.bodies().size());
        assertEquals(REQUESTS, run.bodies().stream().filter(body -> body.equals("hello from jetty-pool")).count(),
                run::toString);

        // The audit log: every thread started while serving, and the one death.
        AuditLog audit = AuditLog.read(log).assertSeqContiguousFromOne();
        List<JsonNode> records = audit.records();
        assertEquals("pythread.log.start", records.get(0).get("event").asText());
        int serving = JettyChild.indexOfPhase(records, "serving");
        int stopped = JettyChild.indexOfPhase(records, "stopped");
        long startsWhileServing = audit.slice(serving, stopped).events(AuditLog.START).size();
        assertEquals(2, run.stdout().size(), run::toString);
        assertTrue(run.stdout().get(0).matches("listening \\d+"), run::toString);
        assertEquals("threads started while serving: " + startsWhileServing, run.stdout().get(1),
                "one start record for each thread the JDK counted as started, OpenTelemetry's included");
        List<String> started = audit.startedThreadNames();
        assertEquals(1, started.stream().filter(name -> name.equals("report-job-1")).count(), started::toString);
        assertTrue(started.stream().anyMatch(name -> name.matches("jetty-pool-\\d+")), started::toString);
        List<JsonNode> deaths = audit.events("sys.unraisablehook");
        assertEquals(1, deaths.size(), deaths::toString);
        JsonNode death = deaths.get(0);
        assertEquals("report-job-1", death.get("thread").get("name").asText());
        assertEquals("java.lang.IllegalStateException", death.get("args").get(1).get("excType").asText());
        assertEquals("report job 1 failed", death.get("args").get(1).get("excMessage").asText());
        assertEquals("Exception ignored in thread started by", death.get("args").get(1).get("errMsg").asText());
        assertEquals("report-job-1", ChildJvm.threadName(death.get("args").get(1).get("object").asText()));

        // stderr: nothing from pythread-agent, nothing that looks like a failure of either agent.
        List<String> stderr = run.stderrLines();
        assertFalse(stderr.stream().anyMatch(line -> line.contains("pythread-agent")), run::toString);
        assertOnlyExpectedLines(stderr, run);
        // …and the CDS warnings are OpenTelemetry's own: as many as it prints alone. The whole of stderr is what
        // OpenTelemetry's agent alone prints, numbers aside (as a multiset: the second CDS warning on JDK 25 comes
        // from OpenTelemetry's lazy work, and its place relative to the job's death is not fixed).
        Run alone = otelAlone();
        assertEquals(cdsWarnings(alone.stderrLines()), cdsWarnings(stderr),
                () -> "alone:\n" + alone + "\nboth:\n" + run);
        assertEquals(sortedNormalised(alone.stderrLines()), sortedNormalised(stderr),
                () -> "alone:\n" + alone + "\nboth:\n" + run);
    }

    /**
     * Every line is one of: the JVM's CDS warning (OpenTelemetry's agent appends to the bootstrap class path; counted
     * against {@link #otelAlone} by the caller), OpenTelemetry's version line (exactly once), and the JVM's report of
     * {@code report-job-1}'s death as three consecutive lines — {@link #DEATH}, the job's lambda frame in
     * {@code ReportJobs}, {@code Thread.run} — exactly once. No other line: no {@code Exception}, {@code Error}, {@code WARN} or
     * {@code SEVERE} from either agent, no stack trace but the job's.
     */
    private static void assertOnlyExpectedLines(List<String> stderr, Run run) {
        int versions = 0;
        int deaths = 0;
        for (int i = 0; i < stderr.size(); i++) {
            String line = stderr.get(i);
            if (CDS_WARNING.matcher(line).matches()) {
                continue;
            }
            if (OTEL_VERSION.matcher(line).matches()) {
                versions++;
                continue;
            }
            if (line.equals(DEATH) && i + 2 < stderr.size() && DEATH_FRAME_1.matcher(stderr.get(i + 1)).matches()
                    && DEATH_FRAME_2.matcher(stderr.get(i + 2)).matches()) {
                deaths++;
                i += 2;
                continue;
            }
            fail("unexpected line " + (i + 1) + " on stderr: '" + line + "'\n" + run);
        }
        assertEquals(1, versions, () -> "OpenTelemetry's version line once:\n" + run);
        assertEquals(1, deaths, () -> "the JVM's report of report-job-1 once:\n" + run);
    }

    private static synchronized Run otelAlone() throws Exception {
        if (otelAlone == null) {
            List<String> options = new ArrayList<>(List.of("-javaagent:" + OTEL_AGENT));
            options.addAll(OTEL_EXPORTERS_OFF);
            Run run = serve(shared, "otel-alone", options);
            assertEquals(0, run.exitCode(), run::toString);
            assertOnlyExpectedLines(run.stderrLines(), run);
            otelAlone = run;
        }
        return otelAlone;
    }

    /** As JettyTest: {@value #REQUESTS} requests, one {@code /fail}, the job's death awaited, {@code /shutdown}. */
    private static Run serve(Path parent, String name, List<String> jvmOptions) throws Exception {
        Path work = Files.createDirectories(parent.resolve(name));
        try (LoopbackServer server = LoopbackServer.start(work, "jetty", jvmOptions, CLASS_PATH, APP)) {
            List<CompletableFuture<HttpResponse<String>>> pending = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                pending.add(LoopbackServer.CLIENT.sendAsync(server.get("/hello"),
                        HttpResponse.BodyHandlers.ofString()));
            }
            List<String> bodies = new ArrayList<>();
            for (CompletableFuture<HttpResponse<String>> future : pending) {
                HttpResponse<String> response = future.get(LoopbackServer.WAIT.toSeconds(), TimeUnit.SECONDS);
                assertEquals(200, response.statusCode(), server::toString);
                bodies.add(response.body());
            }
            assertEquals("job 1 started", server.send("/fail").body());
            server.awaitStderr("report job 1 failed");
            assertEquals("bye", server.send("/shutdown").body());
            int exit = server.awaitExit();
            return new Run(exit, server.stdoutLines(), server.stderrText(), bodies);
        }
    }

    private static int cdsWarnings(List<String> stderr) {
        return (int) stderr.stream().filter(line -> CDS_WARNING.matcher(line).matches()).count();
    }

    /** Timestamps and line numbers differ between runs: digits become N. */
    private static List<String> sortedNormalised(List<String> lines) {
        return lines.stream().map(line -> line.replaceAll("\\d+", "N")).sorted().collect(Collectors.toList());
    }
}
