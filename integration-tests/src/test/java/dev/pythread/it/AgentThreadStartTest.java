package dev.pythread.it;

import static dev.pythread.it.ChildJvm.FEATURE_VERSION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every way the JDK starts a thread raises {@code _thread.start_new_thread} exactly once, in the starting thread,
 * with the thread still {@code NEW}, before the thread runs; a hook that throws vetoes the start.
 */
class AgentThreadStartTest {

    private static final List<String> WITH_HOOK =
            List.of(ChildJvm.agent("hook=dev.pythread.it.apps.RecordingHook"));

    @ParameterizedTest
    @ValueSource(strings = {"plain", "subclass", "pool", "forkjoin", "commonpool", "timer"})
    void everyPlatformThreadStartIsAuditedOnceBeforeItRuns(String path) {
        assertEachRunWasAuditedOnceBefore(startBy(path), path.equals("pool") ? 2 : 1);
    }

    /**
     * A subclass whose {@code getState()} claims the thread runs already is audited all the same (the hook prints
     * what the override says): the agent asks the JDK's own {@code getState()}.
     */
    @Test
    void aThreadWhoseGetStateLiesIsAuditedOnceBeforeItRuns() {
        List<String> lines = startBy("lyingstate");
        List<Integer> runs = indexesOf(lines, "run lyingstate-1");
        List<Integer> starts = indexesOf(lines, "start lyingstate-1");
        assertEquals(1, runs.size(), lines::toString);
        assertEquals(1, starts.size(), lines::toString);
        assertTrue(starts.get(0) < runs.get(0), lines::toString);
        assertTrue(lines.get(starts.get(0)).matches("start lyingstate-1(#\\d+)? RUNNABLE args=0 kwargs=null by .*"),
                lines::toString);
    }

    @ParameterizedTest
    @ValueSource(strings = {"virtual", "startvirtual", "virtualexecutor"})
    void everyVirtualThreadStartIsAuditedOnceBeforeItRuns(String path) {
        assumeTrue(FEATURE_VERSION >= 21, "virtual threads need JDK 21+");
        assertEachRunWasAuditedOnceBefore(startBy(path), path.equals("virtualexecutor") ? 3 : 1);
    }

    /** PyThread.startNewThread raises the event itself, with Python's arguments; the agent must not add one. */
    @Test
    void aStartNewThreadIsAuditedOnceWithItsFunctionAndArgs() {
        List<String> lines = startBy("pythread");
        assertEquals(List.of("start-function <function work> args=[a, 1] kwargs=null"),
                lines.stream().filter(line -> line.startsWith("start")).collect(Collectors.toList()));
        assertTrue(lines.stream().anyMatch(line -> line.startsWith("run pythread-1#")), lines::toString);
    }

    @Test
    void aThrowingHookVetoesAPlainStart() {
        List<String> lines = startBy("veto-plain");
        assertTrue(lines.contains("refused: no threads named veto-plain-1; thread is NEW"), lines::toString);
        assertNoRunOf("veto-", lines);
    }

    @ParameterizedTest
    @ValueSource(strings = {"subclass", "pool", "timer", "forkjoin"})
    void aThrowingHookVetoesEveryOtherPlatformPath(String path) {
        List<String> lines = startBy("veto-" + path);
        assertTrue(lines.contains("refused: no threads named veto-" + path + "-1"), lines::toString);
        assertNoRunOf("veto-", lines);
    }

    /**
     * A hook that raises another event and starts and joins a thread of its own, on every start: no endless
     * recursion, no deadlock. The hook's own thread, started while a start event is being handled, is not audited
     * (the documented loop-breaker); the nested event is.
     */
    @Test
    void aHookThatStartsThreadsAndRaisesEventsDoesNotRecurseOrDeadlock() {
        ChildJvm.Result result = ChildJvm.run(List.of(ChildJvm.agent(
                "hook=dev.pythread.it.apps.ReentrantHook,audit=stderr,events=_thread.*+app.*")),
                "dev.pythread.it.apps.StartPaths", "plain");
        assertEquals(0, result.exitCode(), result::toString);
        List<String> out = result.stdoutLines();
        assertTrue(out.contains("helper ran for plain-1"), result::toString);
        assertTrue(out.stream().anyMatch(line -> line.startsWith("run plain-1#")), result::toString);
        List<String> plainRecords = result.stderrLines().stream().filter(line -> line.contains("plain-1"))
                .collect(Collectors.toList());
        assertEquals(2, plainRecords.size(), result::toString);
        assertTrue(plainRecords.get(0).contains("\"event\":\"_thread.start_new_thread\""), result::toString);
        assertTrue(plainRecords.get(1).contains("\"event\":\"app.nested\",\"thread\":{\"id\":"), result::toString);
        assertFalse(result.stderr().contains("Thread[from-hook-for-plain-1"), result::toString);
    }

    @Test
    void aThrowingHookVetoesAVirtualThreadStartAndVirtualThreadsStillWork() {
        assumeTrue(FEATURE_VERSION >= 21, "virtual threads need JDK 21+");
        List<String> lines = startBy("veto-virtual");
        assertTrue(lines.contains("refused: no threads named veto-virtual-1"), lines::toString);
        assertNoRunOf("veto-", lines);
        assertTrue(lines.stream().anyMatch(line -> line.startsWith("run virtual-after-veto#")), lines::toString);
    }

    private static List<String> startBy(String path) {
        ChildJvm.Result result = ChildJvm.run(WITH_HOOK, "dev.pythread.it.apps.StartPaths", path);
        assertEquals(0, result.exitCode(), result::toString);
        assertEquals("", result.stderr(), result::toString);
        List<String> lines = result.stdoutLines();
        assertEquals("done", lines.get(lines.size() - 1), result::toString);
        return lines;
    }

    /** Each {@code run NAME} line has exactly one {@code start NAME NEW} line, and it comes first. */
    private static void assertEachRunWasAuditedOnceBefore(List<String> lines, int expectedRuns) {
        List<Integer> runs = indexesOf(lines, "run ");
        assertEquals(expectedRuns, runs.size(), lines::toString);
        for (int run : runs) {
            String name = lines.get(run).substring("run ".length()); // name#id
            List<Integer> starts = indexesOf(lines, "start " + name + " ");
            assertEquals(1, starts.size(), () -> "starts of '" + name + "' in " + lines);
            String start = lines.get(starts.get(0));
            assertTrue(starts.get(0) < run, () -> "audited after it ran: " + lines);
            assertTrue(start.startsWith("start " + name + " NEW args=0 kwargs=null by "), start);
        }
    }

    private static void assertNoRunOf(String prefix, List<String> lines) {
        assertFalse(lines.stream().anyMatch(line -> line.startsWith("run " + prefix)), lines::toString);
        assertFalse(lines.contains("started anyway"), lines::toString);
    }

    private static List<Integer> indexesOf(List<String> lines, String prefix) {
        List<Integer> indexes = new java.util.ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                indexes.add(i);
            }
        }
        return indexes;
    }
}
