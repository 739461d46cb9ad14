package dev.pythread.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pythread.it.apps.HostileApp;
import dev.pythread.it.apps.HostileHook;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hooks that misbehave ({@link HostileHook}: throw, overflow the stack, run out of heap, block, start threads, raise
 * events, recurse), as the audit hook or as the unraisable hook, under an application ({@link HostileApp}) whose
 * threads start from four threads at once. Each time: the application gets to its normal end with exit status 0 and
 * the output it should have; each failure is reported exactly once, where the contract says; the jsonl sink records
 * every event once, with a contiguous {@code seq} and nothing dropped; a child that does not end within a minute is
 * stuck — the failure then shows its threads ({@code jcmd Thread.print}).
 */
class HostileHooksTest {

    private static final Duration STUCK = Duration.ofSeconds(40);
    /** The threads of the application and of the hook, as the start record's argument names them. */
    private static final String APP_THREAD = ".*\\b(starter|work|die|helper-for-\\w+)-.*";
    private static final int WORK = HostileApp.STARTERS * HostileApp.PER_STARTER;
    private static final int DYING = HostileApp.STARTERS;
    private static final Map<String, String> THROWN = Map.of("throw", "java.lang.IllegalStateException",
            "overflow", "java.lang.StackOverflowError", "oom", "java.lang.OutOfMemoryError");

    @TempDir
    Path dir;

    static Stream<Arguments> hostileHooks() {
        List<Arguments> cases = new ArrayList<>();
        for (String role : List.of("audit", "unraisable")) {
            for (String mode : List.of("none", "throw", "overflow", "oom", "block", "start", "raise", "recurse")) {
                cases.add(Arguments.of(role, mode));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} hook: {1}")
    @MethodSource("hostileHooks")
    void theApplicationEndsNormallyAndEachFailureIsReportedOnce(String role, String mode) throws IOException {
        Path log = dir.resolve("hostile.jsonl");
        ChildJvm.Result result = runHostile(role, mode, log);
        boolean auditRole = role.equals("audit");
        boolean fails = THROWN.containsKey(mode);
        int hostileEvents = auditRole ? WORK + DYING : DYING; // the events the hook misbehaves on
        int refused = auditRole && fails ? WORK : 0;

        assertEquals(0, result.exitCode(), result::toString);
        List<String> out = result.stdoutLines();
        assertEquals(List.of("ran " + (WORK - refused) + " refused " + refused, "done"),
                out.subList(out.size() - 2, out.size()), result::toString);
        assertEquals(refused, count(out, "refused work-"), result::toString);
        if (refused > 0) {
            assertEquals(refused, count(out, "refused work-", ": " + THROWN.get(mode)), result::toString);
        }
        assertEquals(fails ? 0 : DYING, count(out, "unraisable die-"), result::toString);
        assertEquals(mode.equals("start") ? hostileEvents : 0, count(out, "helper ran for "), result::toString);

        Map<String, String> reports = new TreeMap<>(); // header → the exception line that follows it
        if (fails && auditRole) {
            reports.put("Exception ignored in thread started by: Thread[", "java.lang.IllegalStateException: die-");
            reports.put("Exception ignored in audit hook", THROWN.get(mode));
        } else if (fails) {
            reports.put("Exception ignored in sys.unraisablehook: <hostile hook>", THROWN.get(mode));
        } else if (mode.equals("recurse") && !auditRole) {
            reports.put(HostileHook.NESTED_REPORT + ": die-", "java.lang.IllegalStateException: nested in die-");
        }
        assertReportedOnceEach(result, reports);

        Map<String, Integer> recorded = countEvents(log);
        Map<String, Integer> expected = new TreeMap<>();
        expected.put("pythread.log.start", 1);
        expected.put("sys.addaudithook", 1); // the hook= class, added after the sink
        // every start of a starter, work or dying thread, vetoed or not: the sink sees it before the hook
        expected.put("_thread.start_new_thread", HostileApp.STARTERS + WORK + DYING
                + (mode.equals("start") ? DYING : 0)); // helpers started inside a start event are not audited
        expected.put("sys.unraisablehook", DYING);
        if (mode.equals("raise")) {
            expected.put("app.hostile.raised", hostileEvents);
        } else if (mode.equals("recurse")) {
            expected.put("app.hostile.depth", hostileEvents * HostileHook.DEPTH);
        }
        assertEquals(expected, recorded, result::toString); // pythread.log.dropped among them if the sink dropped any
    }

    /**
     * A hook that raises an event from within each of its events, without end: the stack overflows wherever the
     * recursion happens to be — often inside the jsonl sink, which records every level: in its lock, its write, its
     * warning. Before the sink's lock was a monitor, an overflow could leave its {@code ReentrantLock} held (JEP 270's
     * reserved stack lets {@code lock()} finish taking it, then throws) and every later audited operation waited
     * forever: three runs in six hung here. Now: the child ends, the application's output is right (each overflow
     * reached the start that raised it once), the log is whole, with a contiguous {@code seq} and every start and
     * unraisable report recorded. Run three times per role: where the overflow lands differs from run to run.
     *
     * <p>Stderr is not held to anything here: with the stack exhausted the JDK's own machinery fails — a class loaded
     * on an exhausted stack makes {@code java.lang.instrument} print {@code *** java.lang.instrument ASSERTION FAILED
     * ***} (for any agent with a transformer), an overflow inside the JDK's locks prints a VM warning, and
     * {@code System.err} can lose or merge lines (on JDK 25 whole reports went missing). That a burst of dropped
     * records keeps its one warning line even when printing it overflowed is {@code LineSinkTest}'s to show.
     */
    @ParameterizedTest(name = "{0} hook, run {1}")
    @CsvSource({"audit, 1", "audit, 2", "audit, 3", "unraisable, 1", "unraisable, 2", "unraisable, 3"})
    void aHookThatRaisesEventsWithoutEndNeitherStopsTheApplicationNorLocksTheSink(String role, int run)
            throws IOException {
        Path log = dir.resolve("endless.jsonl");
        ChildJvm.Result result = runHostile(role, "endless", log);
        int refused = role.equals("audit") ? WORK : 0;
        assertEquals(0, result.exitCode(), result::toString);
        List<String> out = result.stdoutLines();
        assertEquals(List.of("ran " + (WORK - refused) + " refused " + refused, "done"),
                out.subList(out.size() - 2, out.size()), result::toString);
        assertEquals(refused, count(out, "refused work-", ": java.lang.StackOverflowError"), result::toString);
        Map<String, Integer> recorded = countEvents(log);
        assertEquals(HostileApp.STARTERS + WORK + DYING, recorded.get("_thread.start_new_thread"), result::toString);
        assertEquals(DYING, recorded.get("sys.unraisablehook"), result::toString);
    }

    private static ChildJvm.Result runHostile(String role, String mode, Path log) {
        return ChildJvm.runWithClassPath(STUCK, List.of("-Xmx64m", "-Dhostile." + role + "=" + mode,
                ChildJvm.agent("hook=" + HostileHook.class.getName() + ",audit=jsonl:" + log)),
                ChildJvm.TEST_CLASSES, HostileApp.class.getName());
    }

    /** Each header appears {@value HostileApp#STARTERS} times, followed by its exception; stderr holds nothing else. */
    private static void assertReportedOnceEach(ChildJvm.Result result, Map<String, String> reports) {
        List<String> lines = result.stderrLines();
        int headers = 0;
        for (Map.Entry<String, String> report : reports.entrySet()) {
            int seen = 0;
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).startsWith(report.getKey())) {
                    seen++;
                    assertTrue(lines.get(i + 1).startsWith(report.getValue()), result::toString);
                }
            }
            assertEquals(DYING, seen, () -> "reports '" + report.getKey() + "' in\n" + result);
            headers += seen;
        }
        long untraced = lines.stream().filter(line -> !line.startsWith("\t") && !line.startsWith("Caused by: "))
                .count();
        assertEquals(2L * headers, untraced, () -> "stderr holds only the reports (header and exception): " + result);
    }

    /** How many records of each event the log holds; every line is whole JSON, {@code seq} contiguous from 1. */
    private static Map<String, Integer> countEvents(Path log) throws IOException {
        Map<String, Integer> counts = new TreeMap<>();
        for (JsonNode record : AuditLog.read(log).assertSeqContiguousFromOne().records()) {
            String event = record.get("event").asText();
            String subject = String.valueOf(record.get("args").get(0));
            if (!event.equals("_thread.start_new_thread") || subject.matches(APP_THREAD)) {
                counts.merge(event, 1, Integer::sum);
            }
        }
        return counts;
    }

    private static long count(List<String> lines, String prefix) {
        return lines.stream().filter(line -> line.startsWith(prefix)).count();
    }

    private static long count(List<String> lines, String prefix, String suffix) {
        return lines.stream().filter(line -> line.startsWith(prefix) && line.endsWith(suffix)).count();
    }
}
