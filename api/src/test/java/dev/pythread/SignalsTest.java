package dev.pythread;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pythread.Signals.SignalHandler;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code _thread.interrupt_main} and the bit of {@code signal} behind it, as CPython's
 * {@code test_thread.TestInterruptMain} and {@code test_threadsignals} check them. These tests must run in the
 * main thread (Surefire runs JUnit there); they are skipped elsewhere.
 */
@Timeout(60)
class SignalsTest {

    private final List<String> log = new CopyOnWriteArrayList<>();
    private Thread helper;

    @BeforeEach
    void runInMainThread() {
        assumeTrue(Thread.currentThread() == Signals.mainThread(), "needs the JVM's main thread");
        Thread.interrupted();
    }

    @AfterEach
    void restoreHandlers() throws InterruptedException {
        if (helper != null) {
            helper.join(TimeUnit.SECONDS.toMillis(30));
        }
        for (int signum = 1; signum <= Signals.MAX_SIGNUM; signum++) {
            Signals.signal(signum, signum2 -> { });
        }
        Signals.checkSignals(); // drain whatever a failed test left pending
        for (int signum = 1; signum <= Signals.MAX_SIGNUM; signum++) {
            Signals.signal(signum, signum == Signals.SIGINT ? Signals.DEFAULT_INT_HANDLER : Signals.SIG_DFL);
        }
        Thread.interrupted();
    }

    /** Python: signal.getsignal(SIGINT) is default_int_handler, the rest SIG_DFL; signal() returns the previous. */
    @Test
    void initialHandlersAndSignalReturnsThePreviousOne() {
        assertSame(Signals.DEFAULT_INT_HANDLER, Signals.getSignal(Signals.SIGINT));
        assertSame(Signals.SIG_DFL, Signals.getSignal(Signals.SIGTERM));
        assertSame(Signals.SIG_DFL, Signals.getSignal(Signals.MAX_SIGNUM));
        SignalHandler mine = signum -> { };
        assertSame(Signals.SIG_DFL, Signals.signal(Signals.SIGUSR1, mine));
        assertSame(mine, Signals.getSignal(Signals.SIGUSR1));
        assertSame(mine, Signals.signal(Signals.SIGUSR1, Signals.SIG_IGN));
        assertSame(Signals.SIG_IGN, Signals.getSignal(Signals.SIGUSR1));
        assertThrows(NullPointerException.class, () -> Signals.signal(Signals.SIGUSR1, null));
    }

    /** CPython: interrupt_main(signum) outside 1..NSIG-1 raises ValueError("signal number out of range"). */
    @Test
    void signalNumbersOutOfRangeAreRejected() {
        for (int signum : new int[] {0, -1, 65, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> PyThread.interruptMain(signum));
            assertEquals("signal number out of range", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> Signals.signal(signum, Signals.SIG_IGN));
            assertEquals("signal number out of range", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> Signals.getSignal(signum));
            assertEquals("signal number out of range", e.getMessage());
        }
        assertFalse(Thread.currentThread().isInterrupted(), "a rejected interrupt_main delivers nothing");
    }

    /** CPython's test_interrupt_main_subthread: the default SIGINT handler raises KeyboardInterrupt. */
    @Test
    void defaultHandlerRaisesKeyboardInterruptAtTheCheckpoint() {
        PyThread.interruptMain();
        assertThrows(KeyboardInterrupt.class, Signals::checkSignals);
        assertFalse(Thread.currentThread().isInterrupted(), "handling the signal consumes its interrupt");
        Signals.checkSignals(); // nothing pending any more
    }

    /** CPython's test_interrupt_main_with_signal_handler: the handler runs once, in the main thread. */
    @Test
    void customHandlerRunsInTheMainThreadWhenASubthreadInterrupts() throws InterruptedException {
        AtomicReference<Thread> ranIn = new AtomicReference<>();
        Signals.signal(Signals.SIGUSR1, signum -> {
            ranIn.set(Thread.currentThread());
            log.add("handled " + signum);
        });
        helper = interruptWhenWaiting(Thread.currentThread(), Signals.SIGUSR1);
        CountDownLatch never = new CountDownLatch(1);
        assertThrows(InterruptedException.class, () -> never.await(30, TimeUnit.SECONDS),
                "the delivery ends a JDK wait (EINTR)");
        assertEquals(List.of(), log, "nothing runs before a checkpoint");
        Signals.checkSignals();
        assertEquals(List.of("handled " + Signals.SIGUSR1), log);
        assertSame(Thread.currentThread(), ranIn.get());
        Signals.checkSignals();
        assertEquals(1, log.size(), "a handled signal is no longer pending");
    }

    /** CPython's test_interrupt_main_noerror: SIG_DFL and SIG_IGN make interrupt_main a no-op. */
    @Test
    void interruptMainDoesNothingForDefaultOrIgnoredSignals() {
        Signals.signal(Signals.SIGINT, Signals.SIG_IGN);
        PyThread.interruptMain();
        Signals.signal(Signals.SIGINT, Signals.SIG_DFL);
        PyThread.interruptMain(Signals.SIGINT);
        PyThread.interruptMain(Signals.SIGTERM);
        assertFalse(Thread.currentThread().isInterrupted(), "no delivery for SIG_DFL/SIG_IGN");
        Signals.signal(Signals.SIGINT, signum -> log.add("late " + signum));
        Signals.signal(Signals.SIGTERM, signum -> log.add("late " + signum));
        Signals.checkSignals();
        assertEquals(List.of(), log, "the no-op signals were never made pending");
    }

    /** A handler that is reset to SIG_DFL between interrupt_main and the checkpoint does not run. */
    @Test
    void handlerChangedToDefaultBeforeTheCheckpointDoesNotRun() {
        Signals.signal(Signals.SIGUSR2, signum -> log.add("ran"));
        PyThread.interruptMain(Signals.SIGUSR2);
        Signals.signal(Signals.SIGUSR2, Signals.SIG_DFL);
        Signals.checkSignals();
        assertEquals(List.of(), log);
    }

    /** Like real signals in CPython, pending signals are flags: two deliveries before a checkpoint run it once. */
    @Test
    void signalsOfOneNumberCoalesceAndRunInIncreasingOrder() {
        Signals.signal(Signals.SIGTERM, signum -> log.add("TERM"));
        Signals.signal(Signals.SIGHUP, signum -> log.add("HUP"));
        Signals.signal(Signals.MAX_SIGNUM, signum -> log.add("64"));
        PyThread.interruptMain(Signals.MAX_SIGNUM);
        PyThread.interruptMain(Signals.SIGTERM);
        PyThread.interruptMain(Signals.SIGTERM);
        PyThread.interruptMain(Signals.SIGHUP);
        Signals.checkSignals();
        assertEquals(List.of("HUP", "TERM", "64"), log);
    }

    /** PyErr_CheckSignals: a raising handler stops the checkpoint; the later signals stay pending. */
    @Test
    void aThrowingHandlerLeavesTheLaterSignalsPending() {
        Signals.signal(Signals.SIGHUP, signum -> {
            throw new IOException("disk gone");
        });
        Signals.signal(Signals.SIGTERM, signum -> log.add("TERM"));
        PyThread.interruptMain(Signals.SIGHUP);
        PyThread.interruptMain(Signals.SIGTERM);
        ThreadError e = assertThrows(ThreadError.class, Signals::checkSignals);
        assertInstanceOf(IOException.class, e.getCause(), "checked exceptions are wrapped");
        assertEquals("disk gone", e.getCause().getMessage());
        assertEquals(List.of(), log);
        Signals.checkSignals();
        assertEquals(List.of("TERM"), log);
    }

    /** Handlers run only in the main thread: a checkpoint in another thread leaves the signal pending. */
    @Test
    void checkpointsInOtherThreadsRunNothing() throws InterruptedException {
        Signals.signal(Signals.SIGUSR1, signum -> log.add("ran in " + Thread.currentThread().getName()));
        PyThread.interruptMain(Signals.SIGUSR1);
        assertTrue(Thread.interrupted(), "delivered"); // or join() below would end at once with EINTR
        helper = new Thread(Signals::checkSignals, "not-main");
        helper.start();
        helper.join();
        assertEquals(List.of(), log);
        Signals.checkSignals();
        assertEquals(List.of("ran in " + Thread.currentThread().getName()), log);
    }

    /** CPython's test_lock_acquire_interruption: a signal interrupts a waiting acquire, which raises. */
    @Test
    void keyboardInterruptAbortsAWaitingAcquireWithoutTakingTheLock() {
        Lock lock = PyThread.allocateLock();
        lock.acquire();
        helper = interruptWhenWaiting(Thread.currentThread(), Signals.SIGINT);
        assertThrows(KeyboardInterrupt.class, lock::acquire);
        assertTrue(lock.locked(), "still held by this thread's first acquire only");
        lock.release();
        assertFalse(lock.locked(), "the failed acquire did not take the lock");
        assertFalse(Thread.currentThread().isInterrupted(), "the signal's interrupt was consumed");
    }

    /** PEP 475: a handler that returns lets the acquire go on waiting until the lock is released. */
    @Test
    void acquireGoesOnWaitingAfterAHandlerReturns() throws InterruptedException {
        Lock lock = PyThread.allocateLock();
        lock.acquire();
        Thread main = Thread.currentThread();
        CountDownLatch handled = new CountDownLatch(1);
        Signals.signal(Signals.SIGUSR1, signum -> {
            log.add("handled in " + Thread.currentThread().getName());
            handled.countDown();
        });
        helper = new Thread(() -> {
            awaitWaiting(main);
            PyThread.interruptMain(Signals.SIGUSR1);
            try {
                handled.await();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            awaitWaiting(main); // back in the wait after the handler
            lock.release();
        });
        helper.start();
        assertTrue(lock.acquire());
        assertEquals(List.of("handled in " + main.getName()), log);
        assertFalse(Thread.currentThread().isInterrupted(), "the signal's interrupt was consumed");
        lock.release();
    }

    /** PEP 475 with a timeout: the wait resumes with the time left and still times out. */
    @Test
    void timedAcquireResumesAfterAHandlerAndTimesOut() {
        Lock lock = PyThread.allocateLock();
        lock.acquire();
        Signals.signal(Signals.SIGUSR2, signum -> log.add("handled"));
        helper = interruptWhenWaiting(Thread.currentThread(), Signals.SIGUSR2);
        long start = System.nanoTime();
        assertFalse(lock.acquire(true, 0.5));
        long elapsed = System.nanoTime() - start;
        assertEquals(List.of("handled"), log);
        assertTrue(elapsed >= TimeUnit.MILLISECONDS.toNanos(500), "waited the whole timeout: " + elapsed);
        assertTrue(elapsed < TimeUnit.SECONDS.toNanos(30), "but not forever: " + elapsed);
        lock.release();
    }

    /** A checked exception from a handler during acquire comes out wrapped in ThreadError, lock not taken. */
    @Test
    void checkedExceptionFromAHandlerDuringAcquireIsWrapped() {
        Lock lock = PyThread.allocateLock();
        lock.acquire();
        Signals.signal(Signals.SIGTERM, signum -> {
            throw new Exception("stop");
        });
        helper = interruptWhenWaiting(Thread.currentThread(), Signals.SIGTERM);
        ThreadError e = assertThrows(ThreadError.class, () -> lock.acquire(true, 20));
        assertEquals("stop", e.getCause().getMessage());
        lock.release();
        assertFalse(lock.locked());
    }

    /** CPython: an acquire that does not need to wait does not run handlers; the signal stays pending. */
    @Test
    void anAcquireThatDoesNotWaitRunsNoHandler() {
        Lock lock = PyThread.allocateLock();
        Signals.signal(Signals.SIGUSR1, signum -> log.add("handled"));
        PyThread.interruptMain(Signals.SIGUSR1);
        assertTrue(lock.acquire());
        assertFalse(lock.acquire(false));
        assertFalse(lock.acquire(true, 0));
        assertEquals(List.of(), log);
        Signals.checkSignals();
        assertEquals(List.of("handled"), log);
        lock.release();
    }

    /** interrupt_main also wakes a main thread blocked in a JDK call (EINTR), which then reaches a checkpoint. */
    @Test
    void interruptMainWakesASleepingMainThread() {
        Signals.signal(Signals.SIGUSR1, signum -> log.add("handled"));
        helper = interruptWhenWaiting(Thread.currentThread(), Signals.SIGUSR1);
        assertThrows(InterruptedException.class, () -> Thread.sleep(TimeUnit.SECONDS.toMillis(50)));
        Signals.checkSignals();
        assertEquals(List.of("handled"), log);
        assertFalse(Thread.currentThread().isInterrupted());
    }

    /** A signal for the main thread does not disturb another thread's wait on a lock. */
    @Test
    void otherThreadsWaitingOnALockAreNotDisturbed() throws InterruptedException {
        Lock lock = PyThread.allocateLock();
        lock.acquire();
        Signals.signal(Signals.SIGUSR1, signum -> log.add("handled"));
        AtomicReference<Boolean> acquired = new AtomicReference<>();
        helper = new Thread(() -> acquired.set(lock.acquire()), "waiter");
        helper.start();
        awaitWaiting(helper);
        PyThread.interruptMain(Signals.SIGUSR1);
        awaitWaiting(helper);
        assertEquals(null, acquired.get(), "still waiting");
        Signals.checkSignals(); // consumes the delivery, or join() below would end at once with EINTR
        assertEquals(List.of("handled"), log);
        lock.release();
        helper.join();
        assertEquals(Boolean.TRUE, acquired.get());
    }

    /** Starts a thread that simulates {@code signum} once {@code main} waits. */
    private static Thread interruptWhenWaiting(Thread main, int signum) {
        Thread thread = new Thread(() -> {
            awaitWaiting(main);
            PyThread.interruptMain(signum);
        }, "interrupter");
        thread.start();
        return thread;
    }

    /** Polls until {@code thread} is parked or sleeping; bounded so that a bug fails instead of hanging. */
    private static void awaitWaiting(Thread thread) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (thread.getState() != Thread.State.WAITING && thread.getState() != Thread.State.TIMED_WAITING) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(thread + " never waited; state " + thread.getState());
            }
            Thread.onSpinWait();
        }
    }
}
