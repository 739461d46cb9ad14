package dev.pythread.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pythread.it.apps.SinkEvents;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sinks behind {@code audit=}, in child JVMs: what they write, that they lose nothing, how they fail. */
class AuditSinksTest {

    private static final String APP = "dev.pythread.it.apps.SinkEvents";
    private static final String CLASS_PATH = ChildJvm.TEST_CLASSES + File.pathSeparator + ChildJvm.API_JAR;

    @TempDir
    Path dir;

    @Test
    void sixteenThousandConcurrentStartsGiveSixteenThousandRecordsInSeqOrder() throws IOException {
        Path log = dir.resolve("threads.jsonl");
        ChildJvm.Result result = ChildJvm.run(List.of(ChildJvm.agent("audit=jsonl:" + log + ",events=_thread.*")),
                "dev.pythread.it.apps.ManyStarts", "8", "2000");
        assertEquals(0, result.exitCode(), result::toString);
        assertEquals("", result.stderr(), result::toString);
        AuditLog audit = AuditLog.read(log);
        assertEquals("pythread.log.start", audit.records().get(0).get("event").asText());
        audit.assertSeqContiguousFromOne();
        Set<String> started = new HashSet<>();
        for (JsonNode record : audit.events(AuditLog.START)) {
            String thread = record.get("args").get(0).asText();
            if (thread.matches("Thread\\[(#\\d+,)?w\\d+-\\d+,5,main]")) {
                assertTrue(started.add(thread), "one record per start: " + thread);
                assertTrue(record.get("thread").get("name").asText().startsWith("starter-"), record::toString);
            }
        }
        assertEquals(16_000, started.size());
    }

    @Test
    void aSecondProcessAppendsWithAMarkedNewStart() throws IOException {
        Path log = dir.resolve("shared.jsonl");
        for (String name : new String[] {"first-run", "second-run"}) {
            ChildJvm.Result result = ChildJvm.runWithClassPath(List.of(ChildJvm.agent("audit=jsonl:" + log)),
                    CLASS_PATH, APP, "start", name);
            assertEquals(0, result.exitCode(), result::toString);
        }
        AuditLog audit = AuditLog.read(log);
        List<JsonNode> records = audit.records();
        List<Integer> starts = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            if (records.get(i).get("event").asText().equals("pythread.log.start")) {
                starts.add(i);
                assertEquals(1, records.get(i).get("seq").asLong(), "a new process starts at seq 1");
            }
        }
        assertEquals(2, starts.size(), records::toString);
        assertEquals(0, starts.get(0));
        audit.slice(0, starts.get(1)).assertSeqContiguousFromOne();
        audit.slice(starts.get(1), records.size()).assertSeqContiguousFromOne();
        assertTrue(records.get(starts.get(1)).get("pid").asLong() != records.get(0).get("pid").asLong());
    }

    /**
     * A thread whose interrupt status is set may start threads; an interruptible file channel would close itself
     * on that write (ClosedByInterruptException) and lose every later record.
     */
    @Test
    void aStartByAnInterruptedThreadIsRecordedAndTheSinkGoesOn() throws IOException {
        Path log = dir.resolve("interrupted.jsonl");
        ChildJvm.Result result = ChildJvm.runWithClassPath(List.of(ChildJvm.agent("audit=jsonl:" + log)), CLASS_PATH,
                APP, "interrupted", "while-interrupted", "start", "afterwards");
        assertEquals(0, result.exitCode(), result::toString);
        assertEquals("", result.stderr(), result::toString);
        assertEquals(List.of("interrupt status kept: true", "done"), result.stdoutLines());
        List<String> started = AuditLog.read(log).events(AuditLog.START).stream()
                .map(record -> record.get("args").get(0).asText()).collect(Collectors.toList());
        assertEquals(2, started.size(), started::toString);
        assertTrue(started.get(0).contains("while-interrupted"), started::toString);
        assertTrue(started.get(1).contains("afterwards"), started::toString);
    }

    @Test
    void percentPInThePathIsThePid() throws IOException {
        ChildJvm.Result result = ChildJvm.runWithClassPath(
                List.of(ChildJvm.agent("audit=jsonl:" + dir.resolve("app-%p.jsonl"))), CLASS_PATH, APP, "start", "x");
        assertEquals(0, result.exitCode(), result::toString);
        try (var files = Files.list(dir)) {
            List<Path> logs = files.collect(Collectors.toList());
            assertEquals(1, logs.size(), logs::toString);
            long pid = AuditLog.read(logs.get(0)).records().get(0).get("pid").asLong();
            assertEquals("app-" + pid + ".jsonl", logs.get(0).getFileName().toString());
        }
    }

    /** Thread names with quotes, control characters, emoji and a lone surrogate round-trip through a JSON parser. */
    @Test
    void hardThreadNamesRoundTripThroughAJsonParser() throws IOException {
        Path log = dir.resolve("names.jsonl");
        ChildJvm.Result result = ChildJvm.runWithClassPath(List.of(ChildJvm.agent("audit=jsonl:" + log)),
                CLASS_PATH, APP, "named");
        assertEquals(0, result.exitCode(), result::toString);
        List<String> raisedBy = AuditLog.read(log).events("app.named").stream()
                .map(record -> record.get("thread").get("name").asText()).collect(Collectors.toList());
        assertEquals(List.of(SinkEvents.HARD_NAMES), raisedBy);
    }

    @Test
    void anUncaughtExceptionIsRecordedWithTypeMessageAndThread() throws IOException {
        Path log = dir.resolve("died.jsonl");
        ChildJvm.Result result = ChildJvm.runWithClassPath(List.of(ChildJvm.agent(
                "audit=jsonl:" + log + ",events=sys.unraisablehook")), CLASS_PATH, APP, "die", "doomed-1");
        assertEquals(0, result.exitCode(), result::toString);
        assertTrue(result.stderr().contains("Exception in thread \"doomed-1\" java.lang.IllegalStateException: "
                + "doomed-1 boom"), "the JVM's own report is still printed: " + result);
        List<JsonNode> records = AuditLog.read(log).records();
        assertEquals(2, records.size(), records::toString);
        JsonNode died = records.get(1);
        assertEquals("sys.unraisablehook", died.get("event").asText());
        assertEquals("doomed-1", died.get("thread").get("name").asText());
        JsonNode report = died.get("args").get(1);
        assertEquals("java.lang.IllegalStateException", report.get("excType").asText());
        assertEquals("doomed-1 boom", report.get("excMessage").asText());
        assertEquals("Exception ignored in thread started by", report.get("errMsg").asText());
        assertEquals("doomed-1", ChildJvm.threadName(report.get("object").asText()));
    }

    @Test
    void aFullDiskUnderWarnIsReportedOnceAndTheApplicationGoesOn() {
        ChildJvm.Result result = ChildJvm.runWithClassPath(List.of(ChildJvm.agent("audit=jsonl:/dev/full")),
                CLASS_PATH, APP, "guarded", "start", "another");
        assertEquals(0, result.exitCode(), result::toString);
        assertEquals(List.of("ran guarded-1", "done"), result.stdoutLines(), result::toString);
        assertEquals(List.of("pythread-agent: audit sink jsonl:/dev/full failed (java.io.IOException: No space left "
                + "on device); dropping and counting records until it works again (onfail=warn)"),
                result.stderrLines(), result::toString);
    }

    @Test
    void aFullDiskUnderDenyFailsTheThreadStart() {
        ChildJvm.Result result = ChildJvm.runWithClassPath(
                List.of(ChildJvm.agent("audit=jsonl:/dev/full,onfail=deny")), CLASS_PATH, APP, "guarded");
        assertEquals(0, result.exitCode(), result::toString);
        assertEquals(List.of("denied: pythread-agent: audit sink jsonl:/dev/full cannot record "
                + "_thread.start_new_thread (java.io.IOException: No space left on device), so the operation is "
                + "denied (onfail=deny)", "done"), result.stdoutLines(), result::toString);
    }

    @Test
    void aJfrRecordingHoldsTheAuditAndUnraisableEvents() throws IOException {
        Path recording = dir.resolve("threads.jfr");
        boolean virtualThreads = ChildJvm.FEATURE_VERSION >= 21;
        List<String> appArgs = new ArrayList<>(List.of("start", "jfr-1", "die", "jfr-dying"));
        if (virtualThreads) {
            appArgs.addAll(List.of("virtual", "jfr-virtual-1"));
        }
        ChildJvm.Result result = ChildJvm.runWithClassPath(List.of(
                "-XX:StartFlightRecording:filename=" + recording, ChildJvm.agent("audit=jfr")),
                CLASS_PATH, APP, appArgs.toArray(String[]::new));
        assertEquals(0, result.exitCode(), result::toString);
        List<RecordedEvent> events = RecordingFile.readAllEvents(recording);
        List<RecordedEvent> starts = ofType(events, "pythread.ThreadStart", "threadName", "jfr-1");
        assertEquals(1, starts.size(), starts::toString);
        RecordedEvent start = starts.get(0);
        assertEquals("main", start.getThread().getJavaName());
        assertEquals("java.lang.Thread", start.getClass("threadClass").getName());
        // No caller field and no stack of its own: JFR's jdk.ThreadStart for the same thread id has the stack, and
        // the caller is its first frame below Thread.start outside the JDK.
        assertNull(start.getStackTrace(), start::toString);
        List<RecordedEvent> jdkStarts = events.stream()
                .filter(event -> event.getEventType().getName().equals("jdk.ThreadStart"))
                .filter(event -> event.getThread("thread") != null
                        && event.getThread("thread").getJavaThreadId() == start.getLong("threadId"))
                .collect(Collectors.toList());
        assertEquals(1, jdkStarts.size(), jdkStarts::toString);
        assertEquals("jfr-1", jdkStarts.get(0).getThread("thread").getJavaName());
        assertEquals(APP + ".join", callerInStack(jdkStarts.get(0)), jdkStarts.get(0)::toString);

        List<RecordedEvent> deaths = ofType(events, "pythread.Unraisable", null, null);
        assertEquals(1, deaths.size(), deaths::toString);
        RecordedEvent death = deaths.get(0);
        assertEquals("java.lang.IllegalStateException", death.getString("excType"));
        assertEquals("jfr-dying boom", death.getString("message"));
        assertEquals("Exception ignored in thread started by", death.getString("errMsg"));
        assertEquals("jfr-dying", ChildJvm.threadName(death.getString("object")));
        assertEquals("jfr-dying", death.getThread().getJavaName());

        if (virtualThreads) {
            // jdk.VirtualThreadStart is off in the JDK's settings, so this event carries the stack itself.
            List<RecordedEvent> virtualStarts = ofType(events, "pythread.VirtualThreadStart", "threadName",
                    "jfr-virtual-1");
            assertEquals(1, virtualStarts.size(), virtualStarts::toString);
            assertTrue(virtualStarts.get(0).getLong("threadId") > start.getLong("threadId"), virtualStarts::toString);
            assertEquals("dev.pythread.it.apps.StartPaths.startNamedVirtual", callerInStack(virtualStarts.get(0)),
                    virtualStarts.get(0)::toString);
        }
    }

    /** The events of {@code type} whose string {@code field} is {@code value} (any value when {@code field} is null). */
    private static List<RecordedEvent> ofType(List<RecordedEvent> events, String type, String field, String value) {
        return events.stream()
                .filter(event -> event.getEventType().getName().equals(type))
                .filter(event -> field == null || value.equals(event.getString(field)))
                .collect(Collectors.toList());
    }

    /**
     * What a reader of a start's stack trace does: the first frame below {@code Thread.start} (or
     * {@code VirtualThread.start}) outside the JDK. A {@code jdk.ThreadStart}'s stack begins below it already.
     */
    private static String callerInStack(RecordedEvent start) {
        boolean belowStart = start.getEventType().getName().equals("jdk.ThreadStart");
        for (RecordedFrame frame : start.getStackTrace().getFrames()) {
            String type = frame.getMethod().getType().getName();
            if (type.startsWith("java.") || type.startsWith("jdk.") || type.startsWith("dev.pythread.agent.")) {
                belowStart |= frame.getMethod().getName().equals("start")
                        && (type.equals("java.lang.Thread") || type.equals("java.lang.VirtualThread"));
                continue;
            }
            if (belowStart) {
                return type + "." + frame.getMethod().getName();
            }
        }
        return null;
    }

    @Test
    void systemLoggerRecordsReachAJavaUtilLoggingHandler() throws IOException {
        ChildJvm.Result result = ChildJvm.runWithClassPath(List.of(ChildJvm.agent("audit=logger")), CLASS_PATH, APP,
                "jul", "start", "logged-1", "die", "logged-dying");
        assertEquals(0, result.exitCode(), result::toString);
        List<String> logged = result.stdoutLines().stream().filter(line -> line.startsWith("log "))
                .filter(line -> line.contains("logged-")).collect(Collectors.toList());
        assertEquals(3, logged.size(), result::toString); // two starts, one death
        assertTrue(logged.get(0).startsWith("log INFO {"), logged.get(0));
        assertTrue(logged.get(0).endsWith("} thrown=null"), logged.get(0));
        JsonNode start = AuditLog.parse(logged.get(0).substring("log INFO ".length(),
                logged.get(0).length() - " thrown=null".length()));
        assertEquals("_thread.start_new_thread", start.get("event").asText());
        assertEquals("logged-1", AuditLog.startedThreadName(start));
        assertEquals(APP, start.get("caller").get("class").asText(), start::toString);
        assertEquals("join", start.get("caller").get("method").asText(), start::toString);
        String death = logged.get(2);
        assertTrue(death.startsWith("log WARNING {"), death);
        assertTrue(death.endsWith("} thrown=java.lang.IllegalStateException"), death);
        assertTrue(death.contains("\"event\":\"sys.unraisablehook\""), death);
        assertFalse(result.stderr().contains("dev.pythread.agent.LoggerSink"), "the app's handler took them");
    }
}
