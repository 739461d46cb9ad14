package dev.pythread.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code audit=jsonl:FILE+logger} beside OpenTelemetry's Java agent 2.22.0 exporting logs over OTLP/HTTP: every record
 * the logger sink writes leaves the JVM as one OTLP log record. The server of {@link JettyTest} under the same load,
 * with ten dying report jobs instead of one, both agents in both orders; OpenTelemetry's logs exporter {@code otlp} ({@code http/protobuf}) points at an
 * {@link OtlpLogsReceiver} on loopback, traces and metrics exporters off. What OpenTelemetry's agent does with a
 * {@code System.Logger} record: {@code System.Logger} goes to java.util.logging when no other backend is there, and
 * the agent's {@code java-util-logging} instrumentation (on by default) turns each {@code Logger.log(LogRecord)} into a
 * log record — body the formatted message (our JSON line), severity from the level (INFO → INFO, WARNING → WARN, with
 * the level's name as severity text), instrumentation scope the logger's name, the exception as
 * {@code exception.type}/{@code exception.message}/{@code exception.stacktrace}, the trace and span of the current
 * context. No thread attribute unless {@code otel.instrumentation.java-util-logging.experimental-log-attributes=true}
 * (and then of the thread that logs): the thread and the caller are read in the body.
 *
 * <p>The audit log of the same run is the reference. Each of its records must arrive exactly once, the same JSON but
 * for {@code seq} and {@code time} (each sink counts and stamps its own), with severity INFO, or WARN for an unraisable
 * report — except, by construction or by the JVM's shutdown:
 * <ul>
 *   <li>records that the logger sink never sees: the JSONL sink's own {@code pythread.log.start}, and the
 *       {@code sys.addaudithook} raised when the logger sink is added after it (a hook does not see its own
 *       addition);
 *   <li>records raised while the JVM shuts down (after the application's last {@code app.phase stopped}): the starts
 *       of shutdown-hook threads. Shutdown hooks run concurrently, in no specified order; once OpenTelemetry's own
 *       hook has shut its SDK down (exporting what it holds), later records cannot leave the process, whatever this
 *       sink does. They may arrive; none may arrive twice, and none may arrive that the audit log lacks.
 * </ul>
 * Records raised while OpenTelemetry's {@code premain} runs (its own threads, when pythread-agent comes first) are
 * not excluded: the logger sink holds them until a later record can be logged, when the bridge is in place.
 */
class OpenTelemetryLogsTest {

    private static final Path OTEL_AGENT = Path.of(System.getProperty("pythread.otel.agent")).toAbsolutePath();
    private static final int REQUESTS = 200;
    /** How many report jobs {@code /fail} starts, each dying of an exception: one start and one WARN record each. */
    private static final int JOBS = 10;
    private static final Pattern JOB_THREAD = Pattern.compile("Thread\\[(#\\d+,)?report-job-\\d+,.*");
    private static final String START = "_thread.start_new_thread";
    private static final String UNRAISABLE = "sys.unraisablehook";
    /** A failure of OpenTelemetry's exporter or agent as its own logger prints it on stderr. */
    private static final Pattern OTEL_TROUBLE = Pattern.compile("\\[otel\\.javaagent [^]]*] \\[[^]]*] (WARN|ERROR) .*");

    /** The JDK's {@code logging.properties}, and the audit logger's records kept off the console handler. */
    private static final String QUIET_AUDIT_LOGGER = String.join("\n", "handlers=java.util.logging.ConsoleHandler",
            ".level=INFO", "java.util.logging.ConsoleHandler.level=INFO",
            "java.util.logging.ConsoleHandler.formatter=java.util.logging.SimpleFormatter",
            "dev.pythread.audit.useParentHandlers=false", "");

    @TempDir
    Path dir;

    /** Which agent comes first on the command line, and how java.util.logging is configured. */
    enum Setup {
        /** OpenTelemetry's agent first; java.util.logging as the JDK configures it (its console handler prints). */
        OTEL_FIRST_DEFAULT_LOGGING,
        /**
         * pythread-agent first (its records raised in OpenTelemetry's {@code premain} must wait for the bridge);
         * java.util.logging's defaults but {@code dev.pythread.audit.useParentHandlers=false}, as docs/shipping.md suggests:
         * the audit records leave through OpenTelemetry only, not on the console too.
         */
        PYTHREAD_FIRST_QUIET_LOGGER
    }

    @ParameterizedTest
    @EnumSource(Setup.class)
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void everyAuditRecordLeavesAsOneOtlpLogRecord(Setup setup) throws Exception {
        Path log = dir.resolve("jetty.jsonl");
        boolean otelFirst = setup == Setup.OTEL_FIRST_DEFAULT_LOGGING;
        List<OtlpLogsReceiver.Received> received;
        JettyChild.Output output;
        int exports;
        try (OtlpLogsReceiver receiver = OtlpLogsReceiver.start()) {
            String pythread = ChildJvm.agent("audit=jsonl:" + log + "+logger");
            String otel = "-javaagent:" + OTEL_AGENT;
            List<String> options = new ArrayList<>(otelFirst ? List.of(otel, pythread) : List.of(pythread, otel));
            if (!otelFirst) {
                options.add("-Djava.util.logging.config.file=" + Files.writeString(dir.resolve("logging.properties"),
                        QUIET_AUDIT_LOGGER));
            }
            options.addAll(List.of("-Dotel.traces.exporter=none", "-Dotel.metrics.exporter=none",
                    "-Dotel.logs.exporter=otlp", "-Dotel.exporter.otlp.logs.protocol=http/protobuf",
                    "-Dotel.exporter.otlp.logs.endpoint=" + receiver.endpoint(), "-Dotel.blrp.schedule.delay=100"));
            try (JettyChild jetty = JettyChild.start(dir, options)) {
                List<String> bodies = jetty.hello(REQUESTS);
                assertEquals(REQUESTS, bodies.stream().filter(body -> body.equals("hello from jetty-pool")).count());
                for (int job = 1; job <= JOBS; job++) {
                    assertEquals("job " + job + " started", jetty.get("/fail"));
                }
                for (int job = 1; job <= JOBS; job++) {
                    jetty.awaitStderr("report job " + job + " failed");
                }
                output = jetty.shutdown();
            }
            // The child has exited: OpenTelemetry's shutdown hook has exported everything it holds.
            received = receiver.received();
            exports = receiver.requests();
            assertEquals(List.of(), receiver.rejected(), "every export request decodes");
        }
        List<String> stderr = LoopbackServer.lines(output.stderr());
        assertFalse(stderr.stream().anyMatch(line -> OTEL_TROUBLE.matcher(line).matches()
                || line.contains("Failed to export")), () -> String.join("\n", stderr));
        assertEquals(otelFirst, stderr.stream().anyMatch(line -> line.contains("\"event\":\"" + START + "\"")),
                () -> "java.util.logging's console handler prints the records, unless the configuration drops it\n"
                        + String.join("\n", stderr));

        // The reference: the audit log of the same run, split as the class comment says.
        List<JsonNode> written = AuditLog.read(log).records();
        int stopped = JettyChild.indexOfPhase(written, "stopped");
        Map<String, Integer> mustArrive = new HashMap<>();
        Map<String, Integer> mayArrive = new HashMap<>();
        int loggerNeverSees = 0;
        for (int i = 0; i < written.size(); i++) {
            String event = written.get(i).get("event").asText();
            if (event.equals("pythread.log.start") || event.equals("sys.addaudithook")) {
                loggerNeverSees++;
            } else {
                (i <= stopped ? mustArrive : mayArrive).merge(withoutSeqAndTime(written.get(i)), 1, Integer::sum);
            }
        }
        assertEquals(2, loggerNeverSees, "one pythread.log.start, one sys.addaudithook (the logger sink's)");

        // What arrived: each record once (its seq unique), from the logger dev.pythread.audit, with its severity.
        Map<String, Integer> arrived = new HashMap<>();
        Set<Long> seqs = new HashSet<>();
        for (OtlpLogsReceiver.Received one : received) {
            LogRecord record = one.record();
            assertEquals("dev.pythread.audit", one.scope(), record::toString);
            JsonNode body = AuditLog.parse(record.getBody().getStringValue());
            assertTrue(seqs.add(body.get("seq").asLong()), () -> "seq twice: " + record);
            String event = body.get("event").asText();
            assertTrue(body.get("thread").get("id").asLong() > 0 && !body.get("thread").get("name").asText().isEmpty(),
                    record::toString);
            assertEquals(event.equals(START), body.has("caller"), record::toString);
            if (event.equals(UNRAISABLE)) {
                assertEquals(SeverityNumber.SEVERITY_NUMBER_WARN, record.getSeverityNumber(), record::toString);
                assertEquals("WARNING", record.getSeverityText(), record::toString);
                assertEquals(body.get("args").get(1).get("excType").asText(),
                        attribute(record, "exception.type"), record::toString);
                assertEquals(body.get("args").get(1).get("excMessage").asText(),
                        attribute(record, "exception.message"), record::toString);
            } else {
                assertEquals(SeverityNumber.SEVERITY_NUMBER_INFO, record.getSeverityNumber(), record::toString);
                assertEquals("INFO", record.getSeverityText(), record::toString);
            }
            arrived.merge(withoutSeqAndTime(body), 1, Integer::sum);
        }

        // Exactly once: the records of the audit log, no more, no fewer.
        List<String> wrong = new ArrayList<>();
        mustArrive.forEach((key, count) -> {
            if (!count.equals(arrived.getOrDefault(key, 0))) {
                wrong.add("written " + count + ", arrived " + arrived.getOrDefault(key, 0) + ": " + key);
            }
        });
        arrived.forEach((key, count) -> {
            int allowed = mustArrive.getOrDefault(key, 0) + mayArrive.getOrDefault(key, 0);
            if (count > allowed) {
                wrong.add("written " + allowed + ", arrived " + count + ": " + key);
            }
        });
        assertEquals(List.of(), wrong, () -> "audit log and OTLP disagree\n--- stderr\n" + output.stderr());
        int required = mustArrive.values().stream().mapToInt(Integer::intValue).sum();
        int atShutdown = mayArrive.values().stream().mapToInt(Integer::intValue).sum();
        int shutdownArrived = received.size() - required;

        // What a reader needs, readable in the body: the jetty pool's starts attributed to Jetty, the jobs' to the
        // application, each job's death as one WARN record of its own thread.
        List<JsonNode> bodies = new ArrayList<>();
        for (OtlpLogsReceiver.Received one : received) {
            bodies.add(AuditLog.parse(one.record().getBody().getStringValue()));
        }
        assertTrue(bodies.stream().anyMatch(body -> body.get("event").asText().equals(START)
                && body.get("args").get(0).asText().contains("jetty-pool-")
                && body.get("caller").get("class").asText().equals("org.eclipse.jetty.util.thread.QueuedThreadPool")));
        List<JsonNode> jobStarts = bodies.stream().filter(body -> body.get("event").asText().equals(START)
                && JOB_THREAD.matcher(body.get("args").get(0).asText()).matches()).collect(Collectors.toList());
        assertEquals(JOBS, jobStarts.size(), jobStarts::toString);
        assertTrue(jobStarts.stream().allMatch(body -> body.get("caller").get("class").asText()
                .equals("dev.pythread.demo.jobs.ReportJobs")), jobStarts::toString);
        // Each job starts while Jetty serves /fail: its record carries that request's trace (OpenTelemetry's Jetty
        // instrumentation opens a server span, the bridge takes the current context), so a backend links the two.
        List<LogRecord> jobStartRecords = received.stream().map(OtlpLogsReceiver.Received::record)
                .filter(record -> record.getBody().getStringValue().contains("\"event\":\"" + START + "\"")
                        && record.getBody().getStringValue().matches(".*\"Thread\\[(#\\d+,)?report-job-\\d+,.*"))
                .collect(Collectors.toList());
        assertEquals(JOBS, jobStartRecords.size());
        assertTrue(jobStartRecords.stream().allMatch(record -> record.getTraceId().size() == 16
                && record.getSpanId().size() == 8), jobStartRecords::toString);
        List<JsonNode> deaths = bodies.stream().filter(body -> body.get("event").asText().equals(UNRAISABLE))
                .collect(Collectors.toList());
        assertEquals(JOBS, deaths.size(), deaths::toString);
        assertEquals(JOBS, deaths.stream().map(body -> body.get("thread").get("name").asText())
                .filter(name -> name.matches("report-job-\\d+")).distinct().count(), deaths::toString);

        System.out.printf("%s on JDK %d: audit log %d records (%d required, %d raised at shutdown, %d the logger "
                        + "sink never sees); OTLP %d records in %d exports (%d of the shutdown ones)%n", setup,
                ChildJvm.FEATURE_VERSION, written.size(), required, atShutdown, loggerNeverSees, received.size(),
                exports, shutdownArrived);
    }

    /** The record as JSON without the two fields each sink sets on its own. */
    private static String withoutSeqAndTime(JsonNode record) {
        ObjectNode copy = record.deepCopy();
        copy.remove("seq");
        copy.remove("time");
        return copy.toString();
    }

    private static String attribute(LogRecord record, String key) {
        return record.getAttributesList().stream().filter(kv -> kv.getKey().equals(key)).map(KeyValue::getValue)
                .map(value -> value.getStringValue()).findFirst().orElse(null);
    }
}
