package dev.pythread.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pythread.it.apps.StartUntilKilled;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} while threads start, again and again. Each round a child set to start {@value #PER_CHILD} threads,
 * from {@value #STARTERS} threads at once, under {@code audit=jsonl}, is killed with {@code SIGKILL} after a random
 * number of starts ({@value #MIN_STARTS} to {@value #MAX_STARTS}, so that the kill lands while starts are in full
 * flight, and the {@value #ROUNDS} rounds make about 100 000 starts in all). Then:
 * <ul>
 *   <li>every thread the child saw {@code start()} return for has its record — a record is handed to the OS before
 *       the start goes on, and the page cache outlives the process;</li>
 *   <li>every line but the last is whole JSON, ending in a newline, with {@code seq} contiguous from 1; the last line
 *       may be cut by the kill, and a reader knows it by the missing newline.</li>
 * </ul>
 * The seed is {@code -Dpythread.kill.seed=N} or the clock's, and every failure names it.
 */
class RepeatedKillTest {

    private static final int ROUNDS = 20;
    private static final int STARTERS = 2;
    private static final int PER_CHILD = 100_000;
    private static final int MIN_STARTS = 1_000;
    private static final int MAX_STARTS = 9_000;

    @TempDir
    Path dir;

    @Test
    void killMinusNineLosesNoRecordOfAStartedThreadAndCutsAtMostTheLastLine() throws Exception {
        long seed = Long.getLong("pythread.kill.seed", System.nanoTime());
        Random random = new Random(seed);
        long began = System.nanoTime();
        long reportedStarts = 0;
        long records = 0;
        int cutLines = 0;
        for (int round = 0; round < ROUNDS; round++) {
            String where = "round " + round + " of seed " + seed;
            Path log = dir.resolve("killed-" + round + ".jsonl");
            Path out = dir.resolve("killed-" + round + ".out");
            int killAfter = MIN_STARTS + random.nextInt(MAX_STARTS - MIN_STARTS + 1);
            Process child = new ProcessBuilder(ChildJvm.JAVA, ChildJvm.agent("audit=jsonl:" + log), "-cp",
                    ChildJvm.TEST_CLASSES, StartUntilKilled.class.getName(), Integer.toString(STARTERS),
                    Integer.toString(PER_CHILD))
                    .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try {
                awaitStarts(child, out, killAfter, where);
            } finally {
                child.destroyForcibly(); // SIGKILL
            }
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), where);
            List<String> reported = reportedStarts(out);
            assertTrue(reported.size() >= killAfter && reported.size() < PER_CHILD,
                    "killed while starting: " + reported.size() + " starts, " + where);
            byte[] bytes = Files.readAllBytes(log);
            int end = lastNewline(bytes) + 1;
            if (end < bytes.length) {
                cutLines++; // a cut last line: no newline, so a reader leaves it out
            }
            AuditLog audit = AuditLog.of(log + ", " + where,
                    List.of(new String(bytes, 0, end, StandardCharsets.UTF_8).split("\n")))
                    .assertSeqContiguousFromOne();
            Set<String> recorded = new HashSet<>(audit.startedThreadNames());
            for (String name : reported) {
                assertTrue(recorded.contains(name), "no record for " + name + ", " + where);
            }
            reportedStarts += reported.size();
            records += audit.records().size();
        }
        System.out.printf("RepeatedKillTest: %d kills, %d starts reported by the children, %d records checked, "
                + "%d last lines cut, %.1f s (seed %d, Java %s)%n", ROUNDS, reportedStarts, records, cutLines,
                (System.nanoTime() - began) / 1e9, seed, Runtime.version());
    }

    /** Waits until the child has reported about {@code count} starts; fails, with its threads, if it stalls. */
    private static void awaitStarts(Process child, Path out, int count, String where)
            throws IOException, InterruptedException {
        long bytes = 0;
        for (int n = 0; n < count; n++) {
            bytes += ("started k-" + n + "\n").length();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (Files.size(out) < bytes) {
            if (!child.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("the child did not get to " + count + " starts (alive: " + child.isAlive()
                        + "), " + where + "\n--- threads\n"
                        + (child.isAlive() ? ChildJvm.threadDump(child.pid()) : "(none: it has ended)"));
            }
            Thread.sleep(2);
        }
    }

    /** The threads the child printed as started; a line cut by the kill is not a report. */
    private static List<String> reportedStarts(Path out) throws IOException {
        byte[] bytes = Files.readAllBytes(out);
        String whole = new String(bytes, 0, lastNewline(bytes) + 1, StandardCharsets.UTF_8);
        return whole.lines().map(line -> line.substring("started ".length())).collect(Collectors.toList());
    }

    private static int lastNewline(byte[] bytes) {
        int i = bytes.length - 1;
        while (i >= 0 && bytes[i] != '\n') {
            i--;
        }
        return i;
    }
}
