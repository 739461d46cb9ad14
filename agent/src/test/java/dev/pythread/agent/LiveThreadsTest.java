package dev.pythread.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * {@link LiveThreads}: records of ended threads do not pile up, however many threads start and end; live threads'
 * records stay.
 */
class LiveThreadsTest {

    private static final int LIVE = 300;
    private static final int STARTS = 100_000;

    @Test
    void oneHundredThousandEndedThreadsLeaveAtMostTwiceTheLiveOnesRecordsBehind() throws InterruptedException {
        LiveThreads live = new LiveThreads();
        CountDownLatch end = new CountDownLatch(1);
        List<Thread> longLived = new ArrayList<>();
        try {
            for (int i = 0; i < LIVE; i++) {
                Thread thread = new Thread(() -> awaitQuietly(end), "long-lived-" + i);
                live.recordStart(thread, null);
                thread.start();
                longLived.add(thread);
            }
            int most = 0;
            for (int i = 0; i < STARTS; i++) {
                Thread thread = new Thread(() -> { }, "short-" + i);
                live.recordStart(thread, null);
                thread.start();
                thread.join();
                most = Math.max(most, live.held());
            }
            // Below the threshold of the last prune: twice what it kept, which was the long-lived threads and at
            // most the one thread just recorded.
            int held = most;
            assertTrue(held < 2 * (LIVE + 1), () -> "held at most " + held + " records");
            List<LiveThreads.Started> alive = live.alive();
            assertEquals(LIVE, alive.size());
            assertEquals(LIVE, live.held(), "reading prunes first");
            for (int i = 0; i < LIVE; i++) {
                assertSame(longLived.get(i), alive.get(i).thread, "oldest first");
            }
        } finally {
            end.countDown();
            for (Thread thread : longLived) {
                thread.join();
            }
        }
        assertEquals(List.of(), live.alive());
        assertEquals(0, live.held());
    }

    @Test
    void aThreadThatNeverStartedIsPrunedOnlyAfterItsStartCountsAsFailed() {
        LiveThreads live = new LiveThreads(50, new WalkBudget());
        Thread neverStarted = new Thread(() -> { }, "never-started");
        live.recordStart(neverStarted, null);
        live.prune();
        assertEquals(1, live.held(), "a start that has not happened yet is kept");
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (live.held() == 1 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            live.prune();
        }
        assertEquals(0, live.held(), "still NEW after the failed-start time: dropped");
    }

    @Test
    void beyondItsWalkBudgetAStartIsRecordedUnattributed() {
        long[] now = {0};
        LiveThreads live = new LiveThreads(LiveThreads.FAILED_START_MILLIS, new WalkBudget(1, 2, () -> now[0]));
        Thread first = new Thread(() -> { });
        Thread second = new Thread(() -> { });
        Thread third = new Thread(() -> { });
        live.recordStart(first);
        live.recordStart(second);
        live.recordStart(third);
        List<Boolean> attributed = new ArrayList<>();
        for (LiveThreads.Started record : live.records()) {
            attributed.add(record.attributed);
        }
        assertEquals(List.of(true, true, false), attributed, "a burst of two, then none in the same nanosecond");
    }

    @Test
    void aRecordThatFailsIsCountedAndNeverFailsTheStart() {
        int[] calls = {0};
        LiveThreads live = new LiveThreads(LiveThreads.FAILED_START_MILLIS, new WalkBudget(1, 1, () -> {
            if (calls[0]++ > 0) { // the budget reads the clock once when made, then on every start
                throw new StackOverflowError("no stack left for the walk");
            }
            return 0L;
        }));
        Thread thread = new Thread(() -> { });
        live.recordStart(thread);
        assertEquals(1, live.lost());
        assertEquals(0, live.held());
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
