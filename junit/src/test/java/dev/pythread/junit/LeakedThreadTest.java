package dev.pythread.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** {@link LeakedThread#capture} and {@link ThreadLeakError}'s message, on real threads. */
class LeakedThreadTest {

    private static final StartFrame FRAME = new StartFrame("com.example.Pool", "start", "Pool.java", 42,
            "/path/to/pool.jar");

    @Test
    void aThreadThatHasEndedIsNotCaptured() throws InterruptedException {
        Thread ended = new Thread(() -> { }, "ended");
        ended.start();
        ended.join();

        assertNull(LeakedThread.capture(new StartRecord(ended, "com.example.FooTest.bar()", FRAME)));
    }

    @Test
    @SuppressWarnings("deprecation") // Thread.getId()
    void aLiveThreadIsDescribedWithItsOwnStack() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        Thread thread = new Thread(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }, "worker-1");
        thread.setDaemon(true);
        thread.start();
        try {
            while (thread.getState() != Thread.State.WAITING) {
                Thread.onSpinWait();
            }

            LeakedThread leaked = LeakedThread.capture(new StartRecord(thread, "com.example.FooTest.bar()", FRAME));

            String head = "\"worker-1\" #" + thread.getId() + " (WAITING, daemon)";
            assertEquals(head + ", created by com.example.FooTest.bar(), started at com.example.Pool.start(Pool.java:42)"
                    + " in /path/to/pool.jar", leaked.getMessage());
            assertEquals("pythread-junit: warning: thread " + head + " leaked by com.example.FooTest.bar(), started at "
                    + "com.example.Pool.start(Pool.java:42) in /path/to/pool.jar", leaked.warning());
            assertTrue(Arrays.stream(leaked.getStackTrace()).anyMatch(frame -> frame.getMethodName().equals("await")),
                    () -> Arrays.toString(leaked.getStackTrace()));
            assertEquals(0, leaked.getSuppressed().length);

            LeakedThread noFrame = LeakedThread.capture(new StartRecord(thread, "com.example.FooTest", null));
            assertEquals(head + ", created by com.example.FooTest", noFrame.getMessage());
            assertEquals("2 threads leaked by this class: " + noFrame.getMessage() + "; " + noFrame.getMessage(),
                    ThreadLeakError.message("this class", List.of(noFrame, noFrame)));
        } finally {
            release.countDown();
            thread.join();
        }
    }

    @Test
    void aFrameIsPrintedAsAStackTracePrintsIt() {
        assertEquals("com.example.Pool.start(Pool.java:42)", FRAME.toString());
        assertEquals("A.m(Unknown Source)", new StartFrame("A", "m", null, -1, null).toString());
        assertEquals("A.m(A.java)", new StartFrame("A", "m", "A.java", -1, null).toString());
        assertEquals("pool.jar", FRAME.sourceFileName());
        assertEquals("classes", new StartFrame("A", "m", null, -1, "/x/classes/").sourceFileName());
    }
}
