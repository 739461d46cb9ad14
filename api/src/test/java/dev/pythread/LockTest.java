package dev.pythread;

import static dev.pythread.LockWaits.awaitBlockedInAcquire;
import static dev.pythread.LockWaits.awaitBlockedInAcquireOrFinished;
import static dev.pythread.LockWaits.awaitSettledAfterInterrupt;
import static dev.pythread.LockWaits.isBlockedInAcquire;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tests of {@link Lock}, Python's {@code _thread.LockType}: the behaviours of CPython's
 * {@code Lib/test/lock_tests.py} ({@code BaseLockTests}, {@code LockTests}) and {@code Lib/test/test_thread.py},
 * plus the Java-specific parts of the contract (interrupts, {@code enter()}/{@code close()}, argument checks with
 * CPython's messages, many threads, virtual threads).
 *
 * <p>Threads are ordered with latches and by polling {@link Thread#getState()} (bounded, {@link LockWaits}), never by
 * long sleeps; the other threads are {@link Worker}s, so that what fails in them fails the test. Every test has a
 * time limit, run in a separate thread (the nested classes inherit it) so that a test stuck in an uninterruptible
 * {@code acquire()} still fails instead of hanging the build.
 */
@Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
@SuppressWarnings("try") // try (var held = lock.enter()) is the idiom under test, even where held is unused
class LockTest {

    /** The sanity bound for "a timed acquire did not wait for something insane" (CPython: 10 x the timeout). */
    private static final long SANE_NANOS = TimeUnit.SECONDS.toNanos(10);

    private static final Pattern UNLOCKED_REPR = Pattern.compile("<unlocked _thread\\.lock object at (0x[0-9a-f]+)>");
    private static final Pattern LOCKED_REPR = Pattern.compile("<locked _thread\\.lock object at (0x[0-9a-f]+)>");

    /** The lock under test: a new, free one for each test (JUnit makes a new {@code LockTest} for every test). */
    private final Lock lock = new Lock();

    /** A new lock, from {@code new Lock()} or {@code allocate_lock()}, and its repr. */
    @Nested
    class Construction {

        /** {@code BaseLockTests.test_constructor}: a new lock is unlocked and can be taken at once. */
        @Test
        void newLockIsUnlocked() {
            assertFalse(lock.locked());
            assertTrue(lock.acquire(false));
            assertTrue(lock.locked());
        }

        /** {@code _thread.allocate_lock()}: a new, unlocked lock on each call. */
        @Test
        void allocateLockReturnsANewUnlockedLockEachTime() {
            Lock first = PyThread.allocateLock();
            Lock second = PyThread.allocateLock();
            assertNotSame(first, second);
            assertFalse(first.locked());
            assertFalse(second.locked());
            assertTrue(first.acquire(false));
            assertFalse(second.locked(), "locks share no state");
            assertTrue(second.acquire(false));
        }

        /** {@code BaseLockTests.test_repr}: {@code <unlocked _thread.lock object at 0x...>}. */
        @Test
        void reprOfUnlockedLock() {
            String repr = lock.toString();
            assertTrue(UNLOCKED_REPR.matcher(repr).matches(), repr);
        }

        /** {@code BaseLockTests.test_locked_repr}: {@code <locked _thread.lock object at 0x...>}. */
        @Test
        void reprOfLockedLock() {
            Lock allocated = PyThread.allocateLock();
            allocated.acquire();
            String repr = allocated.toString();
            assertTrue(LOCKED_REPR.matcher(repr).matches(), repr);
        }

        /** The repr follows the state both ways, and the "address" stays the same for the lock's life. */
        @Test
        void reprFollowsStateAndKeepsItsAddress() {
            Matcher before = UNLOCKED_REPR.matcher(lock.toString());
            assertTrue(before.matches(), lock.toString());
            lock.acquire();
            Matcher held = LOCKED_REPR.matcher(lock.toString());
            assertTrue(held.matches(), lock.toString());
            lock.release();
            Matcher after = UNLOCKED_REPR.matcher(lock.toString());
            assertTrue(after.matches(), lock.toString());
            assertEquals(before.group(1), held.group(1));
            assertEquals(before.group(1), after.group(1));
        }
    }

    /** {@code acquire()}, {@code release()} and {@code locked()}, from one thread and from several. */
    @Nested
    class AcquireAndRelease {

        /** {@code BaseLockTests.test_acquire_release}: acquire returns true and locks; release unlocks. */
        @Test
        void acquireThenRelease() {
            assertTrue(lock.acquire());
            assertTrue(lock.locked());
            lock.release();
            assertFalse(lock.locked());
            assertTrue(lock.acquire(), "the lock can be taken again after release");
            lock.release();
        }

        /** {@code lock.acquire(True)} (the one-argument form) on a free lock takes it. */
        @Test
        void acquireBlockingTrueOnFreeLock() {
            assertTrue(lock.acquire(true));
            assertTrue(lock.locked());
            lock.release();
            assertFalse(lock.locked());
        }

        /** {@code BaseLockTests.test_try_acquire}: {@code acquire(False)} on a free lock takes it. */
        @Test
        void tryAcquireOnFreeLock() {
            assertTrue(lock.acquire(false));
            assertTrue(lock.locked());
            lock.release();
            assertFalse(lock.locked());
        }

        /** {@code BaseLockTests.test_try_acquire_contended}: {@code acquire(False)} from another thread fails at once. */
        @Test
        void tryAcquireContendedFromAnotherThread() throws Exception {
            lock.acquire();
            AtomicReference<Boolean> result = new AtomicReference<>();
            Worker worker = Worker.start("try-acquirer", () -> result.set(lock.acquire(false)));
            worker.join();
            assertEquals(Boolean.FALSE, result.get());
            assertTrue(lock.locked(), "a failed try-acquire leaves the lock held");
            lock.release();
            assertFalse(lock.locked());
        }

        /** {@code acquire(False)} from another thread succeeds once the holder released the lock. */
        @Test
        void tryAcquireFromAnotherThreadAfterRelease() throws Exception {
            lock.acquire();
            lock.release();
            AtomicReference<Boolean> result = new AtomicReference<>();
            Worker worker = Worker.start("try-acquirer", () -> result.set(lock.acquire(false)));
            worker.join();
            assertEquals(Boolean.TRUE, result.get());
            assertTrue(lock.locked(), "the other thread holds it now");
        }

        /** {@code locked()} sees what another thread did to the lock. */
        @Test
        void lockedSeesOtherThreadsAcquireAndRelease() throws Exception {
            Worker taker = Worker.start("taker", () -> assertTrue(lock.acquire()));
            taker.join();
            assertTrue(lock.locked());
            Worker releaser = Worker.start("releaser", lock::release);
            releaser.join();
            assertFalse(lock.locked());
        }

        /**
         * {@code BaseLockTests.test_acquire_contended}: threads that call {@code acquire()} on a held lock wait, none
         * gets through while it is held, and all finish once it is released.
         */
        @Test
        void contendedAcquireWaitsForRelease() throws Exception {
            lock.acquire();
            int n = 5;
            AtomicInteger finished = new AtomicInteger();
            List<Worker> workers = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                workers.add(Worker.start("contender-" + i, () -> {
                    assertTrue(lock.acquire());
                    lock.release();
                    finished.incrementAndGet();
                }));
            }
            for (Worker worker : workers) {
                awaitBlockedInAcquire(worker);
            }
            assertEquals(0, finished.get(), "nobody got the lock while it was held");
            lock.release();
            for (Worker worker : workers) {
                worker.join();
            }
            assertEquals(n, finished.get());
            assertFalse(lock.locked());
        }

        /** {@code LockTests.test_different_thread}: a lock may be released by a thread that did not acquire it. */
        @Test
        void releaseFromDifferentThread() throws Exception {
            lock.acquire();
            Worker releaser = Worker.start("releaser", lock::release);
            releaser.join();
            assertFalse(lock.locked());
            assertTrue(lock.acquire(false));
            lock.release();
        }

        /** A thread waiting in {@code acquire()} is let through by a {@code release()} done by a third thread. */
        @Test
        void waiterUnblockedByReleaseFromAnotherThread() throws Exception {
            lock.acquire();
            AtomicReference<Boolean> result = new AtomicReference<>();
            Worker waiter = Worker.start("waiter", () -> result.set(lock.acquire()));
            awaitBlockedInAcquire(waiter);
            assertEquals(null, result.get());
            Worker releaser = Worker.start("releaser", lock::release);
            releaser.join();
            waiter.join();
            assertEquals(Boolean.TRUE, result.get());
            assertTrue(lock.locked(), "the waiter holds the lock now");
            lock.release();
        }

        /** The one-argument {@code acquire(true)} waits like {@code acquire()} and gets the lock on release. */
        @Test
        void acquireBlockingTrueWaitsForRelease() throws Exception {
            lock.acquire();
            AtomicReference<Boolean> result = new AtomicReference<>();
            Worker waiter = Worker.start("waiter", () -> result.set(lock.acquire(true)));
            awaitBlockedInAcquire(waiter);
            assertEquals(null, result.get());
            lock.release();
            waiter.join();
            assertEquals(Boolean.TRUE, result.get());
            assertTrue(lock.locked());
        }

        /** {@code LockTests.test_state_after_timeout} for {@code acquire(False)}: a failed try leaves it held, releasable once. */
        @Test
        void stateAfterFailedTryAcquire() {
            lock.acquire();
            assertFalse(lock.acquire(false));
            assertTrue(lock.locked());
            lock.release();
            assertFalse(lock.locked());
            ThreadError e = assertThrowsExactly(ThreadError.class, lock::release);
            assertEquals("release unlocked lock", e.getMessage());
            assertTrue(lock.acquire(false));
            lock.release();
        }
    }

    /** A lock is not reentrant: its holder's own acquire fails, times out or waits like any other thread's. */
    @Nested
    class NotReentrant {

        /** A lock is not reentrant: the holder's own {@code acquire(False)} fails. */
        @Test
        void holderTryAcquireFails() {
            lock.acquire();
            assertFalse(lock.acquire(false));
            assertFalse(lock.acquire(false, -1));
            assertTrue(lock.locked());
            lock.release();
            assertFalse(lock.locked(), "one release undoes the one successful acquire");
        }

        /** A lock is not reentrant: the holder's own timed acquire times out. */
        @Test
        void holderTimedAcquireTimesOut() {
            lock.acquire();
            long start = System.nanoTime();
            assertFalse(lock.acquire(true, 0.05));
            long elapsed = System.nanoTime() - start;
            assertTrue(elapsed >= TimeUnit.MILLISECONDS.toNanos(50), "waited only " + elapsed + " ns");
            assertTrue(elapsed < SANE_NANOS, "waited " + elapsed + " ns");
            assertTrue(lock.locked());
            lock.release();
            assertFalse(lock.locked());
        }

        /**
         * {@code LockTests.test_reacquire}: the holder's second blocking {@code acquire()} waits (like any other
         * thread's) until some other thread releases the lock.
         */
        @Test
        void holderBlockingReacquireWaitsForAnotherThreadsRelease() throws Exception {
            CountDownLatch firstAcquired = new CountDownLatch(1);
            AtomicBoolean secondAcquired = new AtomicBoolean();
            Worker worker = Worker.start("reacquirer", () -> {
                assertTrue(lock.acquire());
                firstAcquired.countDown();
                assertTrue(lock.acquire());
                secondAcquired.set(true);
            });
            assertTrue(firstAcquired.await(20, TimeUnit.SECONDS));
            awaitBlockedInAcquire(worker);
            assertFalse(secondAcquired.get(), "the second acquire must wait");
            assertTrue(lock.locked());
            lock.release();
            worker.join();
            assertTrue(secondAcquired.get());
            assertTrue(lock.locked(), "the worker holds it again");
        }
    }

    /** {@code release()} of an unlocked lock: CPython's {@code RuntimeError}, here {@link ThreadError}. */
    @Nested
    class ReleaseUnlocked {

        /** {@code test_thread.LockTests}/{@code RuntimeError}: releasing a fresh lock fails, the lock stays usable. */
        @Test
        void releaseOfFreshLockThrows() {
            ThreadError e = assertThrowsExactly(ThreadError.class, lock::release);
            assertEquals("release unlocked lock", e.getMessage());
            assertFalse(lock.locked(), "state unchanged");
            assertTrue(lock.acquire(false), "still acquirable");
            lock.release();
        }

        /** A double release fails on the second call and leaves the lock unlocked. */
        @Test
        void doubleReleaseThrows() {
            lock.acquire();
            lock.release();
            ThreadError e = assertThrowsExactly(ThreadError.class, lock::release);
            assertEquals("release unlocked lock", e.getMessage());
            assertFalse(lock.locked());
            ThreadError again = assertThrowsExactly(ThreadError.class, lock::release);
            assertEquals("release unlocked lock", again.getMessage());
            assertFalse(lock.locked());
            assertTrue(lock.acquire(false));
            assertTrue(lock.locked());
            lock.release();
        }

        /** A wrong release from another thread fails in that thread too. */
        @Test
        void releaseOfUnlockedLockFromAnotherThreadThrows() throws Exception {
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Worker worker = Worker.start("releaser", () -> {
                try {
                    lock.release();
                } catch (ThreadError e) {
                    thrown.set(e);
                }
            });
            worker.join();
            assertTrue(thrown.get() != null, "no ThreadError in the other thread");
            assertEquals(ThreadError.class, thrown.get().getClass());
            assertEquals("release unlocked lock", thrown.get().getMessage());
            assertFalse(lock.locked());
        }
    }

    /** {@code with lock:}, which is {@code try (var held = lock.enter())} here. */
    @Nested
    class WithStatement {

        /** {@code BaseLockTests.test_with}: inside the block the lock is held; after a normal exit it is free. */
        @Test
        void releasedOnNormalExit() throws Exception {
            try (var held = lock.enter()) {
                assertSame(lock, held);
                assertTrue(lock.locked());
                assertFalse(lock.acquire(false), "held inside the block");
            }
            assertFalse(lock.locked());
            // As CPython checks: another thread can take and give back the lock afterwards.
            Worker other = Worker.start("other", () -> {
                assertTrue(lock.acquire(false));
                lock.release();
            });
            other.join();
            assertFalse(lock.locked());
        }

        /** {@code BaseLockTests.test_with}: an exception leaving the block releases the lock and propagates unchanged. */
        @Test
        void releasedOnException() throws Exception {
            IllegalStateException boom = new IllegalStateException("boom");
            IllegalStateException caught = assertThrowsExactly(IllegalStateException.class, () -> {
                try (var held = lock.enter()) {
                    assertTrue(held.locked());
                    throw boom;
                }
            });
            assertSame(boom, caught);
            assertEquals(0, caught.getSuppressed().length, "close() must not fail");
            assertFalse(lock.locked());
            Worker other = Worker.start("other", () -> {
                assertTrue(lock.acquire(false));
                lock.release();
            });
            other.join();
        }

        /** {@code with lock:} waits for a lock held elsewhere, like {@code acquire()}. */
        @Test
        void enterWaitsForHeldLock() throws Exception {
            lock.acquire();
            AtomicBoolean inside = new AtomicBoolean();
            Worker worker = Worker.start("with", () -> {
                try (var held = lock.enter()) {
                    inside.set(true);
                }
            });
            awaitBlockedInAcquire(worker);
            assertFalse(inside.get());
            lock.release();
            worker.join();
            assertTrue(inside.get());
            assertFalse(lock.locked());
        }

        /** As Python's {@code __exit__}: a block that already released the lock fails at the exit. */
        @Test
        void closeOfAlreadyReleasedLockThrows() {
            ThreadError e = assertThrowsExactly(ThreadError.class, () -> {
                try (var held = lock.enter()) {
                    held.release();
                }
            });
            assertEquals("release unlocked lock", e.getMessage());
            assertFalse(lock.locked());
        }

        /** {@code close()} is {@code release()}. */
        @Test
        void closeReleases() {
            lock.acquire();
            lock.close();
            assertFalse(lock.locked());
            ThreadError e = assertThrowsExactly(ThreadError.class, lock::close);
            assertEquals("release unlocked lock", e.getMessage());
        }
    }

    /** Timed acquires: {@code acquire(true, timeout)} from zero up to {@code TIMEOUT_MAX}. */
    @Nested
    class Timeouts {

        /** {@code BaseLockTests.test_timeout}: a timed acquire of a free lock returns true without waiting out the timeout. */
        @Test
        void timedAcquireOfFreeLockReturnsAtOnce() {
            long start = System.nanoTime();
            assertTrue(lock.acquire(true, 5));
            long elapsed = System.nanoTime() - start;
            assertTrue(elapsed < TimeUnit.SECONDS.toNanos(5), "took " + elapsed + " ns");
            assertTrue(lock.locked());
            lock.release();
        }

        /** {@code BaseLockTests.test_timeout}: a timed acquire from another thread returns false after the timeout. */
        @Test
        void timedAcquireFromAnotherThreadTimesOut() throws Exception {
            lock.acquire();
            AtomicReference<Boolean> result = new AtomicReference<>();
            AtomicLong elapsed = new AtomicLong();
            Worker worker = Worker.start("timed", () -> {
                long start = System.nanoTime();
                result.set(lock.acquire(true, 0.5));
                elapsed.set(System.nanoTime() - start);
            });
            worker.join();
            assertEquals(Boolean.FALSE, result.get());
            assertTrue(elapsed.get() >= TimeUnit.MILLISECONDS.toNanos(500), "waited only " + elapsed.get() + " ns");
            assertTrue(elapsed.get() < SANE_NANOS, "waited " + elapsed.get() + " ns");
            assertTrue(lock.locked());
            lock.release();
        }

        /** A timed waiter is let through when the lock is released before the timeout. */
        @Test
        void timedAcquireSucceedsWhenReleasedInTime() throws Exception {
            lock.acquire();
            AtomicReference<Boolean> result = new AtomicReference<>();
            Worker worker = Worker.start("timed", () -> result.set(lock.acquire(true, 30)));
            awaitBlockedInAcquire(worker);
            lock.release();
            worker.join();
            assertEquals(Boolean.TRUE, result.get());
            assertTrue(lock.locked());
        }

        /** {@code LockTests.test_state_after_timeout} (bpo-11618): after a timeout the lock is still held and sound. */
        @Test
        void stateAfterTimeout() {
            lock.acquire();
            assertFalse(lock.acquire(true, 0.01));
            assertTrue(lock.locked(), "still locked");
            lock.release();
            assertFalse(lock.locked());
            assertTrue(lock.acquire(false));
            lock.release();
            ThreadError e = assertThrowsExactly(ThreadError.class, lock::release);
            assertEquals("release unlocked lock", e.getMessage());
        }

        /** {@code acquire(timeout=0)}: try once, do not wait. */
        @Test
        void zeroTimeoutTriesOnce() {
            assertZeroTimeoutTriesOnce(0.0);
        }

        /** {@code -0.0} is not negative ({@code -0.0 < 0} is false): it is a zero timeout, not an error. */
        @Test
        void negativeZeroTimeoutBehavesAsZero() {
            assertZeroTimeoutTriesOnce(-0.0);
        }

        /** {@code acquire(false)} does not wait either. */
        @Test
        void tryAcquireDoesNotWait() {
            lock.acquire();
            long start = System.nanoTime();
            for (int i = 0; i < 50; i++) {
                assertFalse(lock.acquire(false));
                assertFalse(lock.acquire(false, -1));
            }
            long elapsed = System.nanoTime() - start;
            // 100 tries: even a 50 ms wait in each would take 5 s.
            assertTrue(elapsed < TimeUnit.SECONDS.toNanos(5), "100 tries took " + elapsed + " ns");
            assertTrue(lock.locked());
            lock.release();
        }

        private void assertZeroTimeoutTriesOnce(double zero) {
            assertTrue(lock.acquire(true, zero), "a free lock is taken");
            long start = System.nanoTime();
            for (int i = 0; i < 100; i++) {
                assertFalse(lock.acquire(true, zero), "a held lock is not waited for");
            }
            long elapsed = System.nanoTime() - start;
            // 100 tries: even a 50 ms wait in each would take 5 s.
            assertTrue(elapsed < TimeUnit.SECONDS.toNanos(5), "100 tries took " + elapsed + " ns");
            assertTrue(lock.locked());
            lock.release();
            assertFalse(lock.locked());
        }

        /** A tiny positive timeout is a (short) wait, not an error: it times out on a held lock. */
        @Test
        void tinyPositiveTimeoutTimesOut() {
            lock.acquire();
            assertFalse(lock.acquire(true, 1e-12));
            assertFalse(lock.acquire(true, Double.MIN_VALUE));
            assertTrue(lock.locked());
            lock.release();
            assertTrue(lock.acquire(true, Double.MIN_VALUE), "a free lock is taken");
            lock.release();
        }

        /** {@code acquire(timeout=-1)} (the default) waits without a time limit and gets the lock on release. */
        @Test
        void minusOneTimeoutIsUnbounded() throws Exception {
            lock.acquire();
            AtomicReference<Boolean> result = new AtomicReference<>();
            Worker worker = Worker.start("unbounded", () -> result.set(lock.acquire(true, -1)));
            awaitBlockedInAcquire(worker);
            // An unbounded wait has no deadline: the thread waits in WAITING, not TIMED_WAITING.
            assertNotEquals(Thread.State.TIMED_WAITING, worker.thread.getState());
            assertEquals(null, result.get());
            lock.release();
            worker.join();
            assertEquals(Boolean.TRUE, result.get());
            assertTrue(lock.locked());
        }

        /** {@code BaseLockTests.test_timeout}: {@code TIMEOUT_MAX} itself is accepted. */
        @Test
        void timeoutMaxIsAcceptedOnFreeLock() {
            assertTrue(lock.acquire(true, PyThread.TIMEOUT_MAX));
            assertTrue(lock.locked());
            lock.release();
        }

        /**
         * {@code TIMEOUT_MAX} must be a time the implementation can really honour: a waiter with that timeout really
         * waits (no deadline overflow making it give up at once) and gets the lock on release.
         */
        @Test
        void timeoutMaxReallyWaits() throws Exception {
            assertHugeTimeoutWaitsForRelease(PyThread.TIMEOUT_MAX);
        }

        /** Huge timeouts below {@code TIMEOUT_MAX} (years, centuries) wait and get the lock on release. */
        @ParameterizedTest
        @ValueSource(doubles = {1e6, 1e9, 9.2e9})
        void hugeTimeoutReallyWaits(double timeout) throws Exception {
            assumeTrue(timeout <= PyThread.TIMEOUT_MAX, "above this implementation's TIMEOUT_MAX");
            assertHugeTimeoutWaitsForRelease(timeout);
        }

        private void assertHugeTimeoutWaitsForRelease(double t) throws Exception {
            lock.acquire();
            AtomicReference<Boolean> result = new AtomicReference<>();
            Worker worker = Worker.start("huge-timeout", () -> result.set(lock.acquire(true, t)));
            awaitBlockedInAcquire(worker);
            assertEquals(null, result.get(), "gave up at once");
            lock.release();
            worker.join();
            assertEquals(Boolean.TRUE, result.get());
            assertTrue(lock.locked());
        }

        /** {@code TIMEOUT_MAX} is finite, positive and at most {@code Long.MAX_VALUE} nanoseconds. */
        @Test
        void timeoutMaxIsAnHonourableNumberOfSeconds() {
            assertTrue(Double.isFinite(PyThread.TIMEOUT_MAX));
            assertTrue(PyThread.TIMEOUT_MAX > 0);
            assertTrue(PyThread.TIMEOUT_MAX * 1e9 <= 0x1p63, "more than Long.MAX_VALUE ns");
        }
    }

    /** Rejected {@code acquire} arguments, with CPython's exception kinds and messages. */
    @Nested
    class ArgumentValidation {

        /** {@code BaseLockTests.test_timeout}: {@code acquire(0, 1)} — no timeout for a non-blocking call. */
        @ParameterizedTest
        @ValueSource(doubles = {1, 0, -0.0, -2, 0.5, -1.5, 1e100, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
        void nonBlockingWithTimeoutIsRejected(double timeout) {
            assertRejectedLeavingStateUnchanged(IllegalArgumentException.class,
                    "can't specify a timeout for a non-blocking call", false, timeout);
        }

        /** {@code BaseLockTests.test_timeout}: {@code acquire(timeout=-100)} — a negative timeout other than -1. */
        @ParameterizedTest
        @ValueSource(doubles = {-2, -0.5, -100, -1.5, -0.999999, -1.000001, -Double.MIN_VALUE, Double.NEGATIVE_INFINITY})
        void negativeTimeoutIsRejected(double timeout) {
            assertRejectedLeavingStateUnchanged(IllegalArgumentException.class,
                    "timeout value must be a non-negative number", true, timeout);
        }

        /** {@code BaseLockTests.test_timeout}: {@code acquire(timeout=1e100)}, {@code TIMEOUT_MAX + 1} — OverflowError. */
        @Test
        void tooLargeTimeoutIsRejected() {
            for (double timeout : new double[] {PyThread.TIMEOUT_MAX * 2, Math.nextUp(PyThread.TIMEOUT_MAX),
                    PyThread.TIMEOUT_MAX + 1e6, 1e100, Double.MAX_VALUE, Double.POSITIVE_INFINITY}) {
                assertRejectedLeavingStateUnchanged(ArithmeticException.class, "timeout value is too large", true,
                        timeout);
            }
        }

        /** NaN is rejected with CPython's message whatever {@code blocking} is. */
        @Test
        void nanTimeoutIsRejected() {
            assertRejectedLeavingStateUnchanged(IllegalArgumentException.class, "Invalid value NaN (not a number)",
                    true, Double.NaN);
            assertRejectedLeavingStateUnchanged(IllegalArgumentException.class, "Invalid value NaN (not a number)",
                    false, Double.NaN);
        }

        /** {@code acquire(False, -1)} is the explicit default: allowed, a plain try-acquire. */
        @Test
        void nonBlockingWithDefaultTimeoutIsAllowed() {
            assertTrue(lock.acquire(false, -1));
            assertTrue(lock.locked());
            assertFalse(lock.acquire(false, -1));
            assertTrue(lock.locked());
            lock.release();
            assertFalse(lock.locked());
        }

        /** A rejected call on a held lock neither releases it nor waits. */
        @Test
        void rejectedCallOnHeldLockLeavesItHeld() {
            lock.acquire();
            assertEquals("can't specify a timeout for a non-blocking call",
                    assertThrowsExactly(IllegalArgumentException.class, () -> lock.acquire(false, 1)).getMessage());
            assertEquals("timeout value must be a non-negative number",
                    assertThrowsExactly(IllegalArgumentException.class, () -> lock.acquire(true, -2)).getMessage());
            assertEquals("timeout value is too large",
                    assertThrowsExactly(ArithmeticException.class, () -> lock.acquire(true, Double.POSITIVE_INFINITY))
                            .getMessage());
            assertEquals("Invalid value NaN (not a number)",
                    assertThrowsExactly(IllegalArgumentException.class, () -> lock.acquire(true, Double.NaN))
                            .getMessage());
            assertTrue(lock.locked());
            lock.release();
            assertFalse(lock.locked());
            ThreadError e = assertThrowsExactly(ThreadError.class, lock::release);
            assertEquals("release unlocked lock", e.getMessage());
        }

        private void assertRejectedLeavingStateUnchanged(Class<? extends RuntimeException> type, String message,
                boolean blocking, double timeout) {
            Lock fresh = new Lock(); // not the field: some tests check several values, each on a new lock
            RuntimeException e = assertThrowsExactly(type, () -> fresh.acquire(blocking, timeout),
                    () -> "acquire(" + blocking + ", " + timeout + ")");
            assertEquals(message, e.getMessage(), () -> "acquire(" + blocking + ", " + timeout + ")");
            assertFalse(fresh.locked(), () -> "acquire(" + blocking + ", " + timeout + ") took the lock");
            assertTrue(fresh.acquire(false), "the lock is still free");
            fresh.release();
        }
    }

    /** {@link Thread#interrupt()} does not abort a wait in the lock, and its status is kept. */
    @Nested
    class Interruption {

        /**
         * Like {@code java.util.concurrent.locks.Lock.lock()} (CPython's {@code acquire()} without a signal): an
         * interrupt does not abort the wait; the thread gets the lock on release, with its interrupt status set.
         */
        @Test
        void interruptDoesNotAbortUnboundedAcquire() throws Exception {
            lock.acquire();
            AtomicReference<Boolean> result = new AtomicReference<>();
            AtomicBoolean interruptedAfter = new AtomicBoolean();
            Worker waiter = Worker.start("waiter", () -> {
                result.set(lock.acquire());
                interruptedAfter.set(Thread.currentThread().isInterrupted());
                lock.release();
            });
            awaitBlockedInAcquire(waiter);
            waiter.thread.interrupt();
            awaitSettledAfterInterrupt(waiter);
            assertTrue(isBlockedInAcquire(waiter.thread), "the interrupt ended the wait: " + waiter.describe());
            assertEquals(null, result.get(), "acquire returned while the lock was held");
            assertTrue(lock.locked());
            lock.release();
            waiter.join();
            assertEquals(Boolean.TRUE, result.get());
            assertTrue(interruptedAfter.get(), "the interrupt status was lost");
            assertFalse(lock.locked());
        }

        /** Several interrupts in a row do not abort the wait either, whatever the overload ({@code enter()} here). */
        @Test
        void repeatedInterruptsDoNotAbortEnter() throws Exception {
            lock.acquire();
            AtomicBoolean inside = new AtomicBoolean();
            AtomicBoolean interruptedInside = new AtomicBoolean();
            Worker waiter = Worker.start("with", () -> {
                try (var held = lock.enter()) {
                    inside.set(true);
                    interruptedInside.set(Thread.currentThread().isInterrupted());
                }
            });
            awaitBlockedInAcquire(waiter);
            for (int i = 0; i < 5; i++) {
                waiter.thread.interrupt();
                awaitSettledAfterInterrupt(waiter);
                assertTrue(isBlockedInAcquire(waiter.thread), "interrupt " + i + " ended the wait");
            }
            assertFalse(inside.get());
            lock.release();
            waiter.join();
            assertTrue(inside.get());
            assertTrue(interruptedInside.get(), "the interrupt status was lost");
            assertFalse(lock.locked());
        }

        /** A thread already interrupted when it calls {@code acquire()} on a held lock waits all the same. */
        @Test
        void alreadyInterruptedThreadStillWaits() throws Exception {
            lock.acquire();
            AtomicReference<Boolean> result = new AtomicReference<>();
            AtomicBoolean interruptedAfter = new AtomicBoolean();
            Worker waiter = Worker.start("pre-interrupted", () -> {
                Thread.currentThread().interrupt();
                result.set(lock.acquire());
                interruptedAfter.set(Thread.currentThread().isInterrupted());
            });
            awaitBlockedInAcquire(waiter);
            assertEquals(null, result.get());
            assertTrue(lock.locked());
            lock.release();
            waiter.join();
            assertEquals(Boolean.TRUE, result.get());
            assertTrue(interruptedAfter.get(), "the interrupt status was lost");
            assertTrue(lock.locked(), "the waiter holds it");
        }

        /** An interrupted timed acquire still waits out its timeout, returns false, and keeps the interrupt status. */
        @Test
        void interruptDoesNotAbortTimedAcquire() throws Exception {
            lock.acquire();
            AtomicReference<Boolean> result = new AtomicReference<>();
            AtomicLong elapsed = new AtomicLong();
            AtomicBoolean interruptedAfter = new AtomicBoolean();
            Worker waiter = Worker.start("timed", () -> {
                long start = System.nanoTime();
                result.set(lock.acquire(true, 0.5));
                elapsed.set(System.nanoTime() - start);
                interruptedAfter.set(Thread.currentThread().isInterrupted());
            });
            awaitBlockedInAcquire(waiter);
            waiter.thread.interrupt();
            waiter.join();
            assertEquals(Boolean.FALSE, result.get());
            assertTrue(elapsed.get() >= TimeUnit.MILLISECONDS.toNanos(500),
                    "the interrupt cut the wait short: " + elapsed.get() + " ns");
            assertTrue(elapsed.get() < SANE_NANOS, "waited " + elapsed.get() + " ns");
            assertTrue(interruptedAfter.get(), "the interrupt status was lost");
            assertTrue(lock.locked());
            lock.release();
        }

        /** An interrupted timed waiter still gets the lock when it is released before the timeout. */
        @Test
        void interruptedTimedWaiterGetsLockOnRelease() throws Exception {
            lock.acquire();
            AtomicReference<Boolean> result = new AtomicReference<>();
            AtomicBoolean interruptedAfter = new AtomicBoolean();
            Worker waiter = Worker.start("timed", () -> {
                result.set(lock.acquire(true, 30));
                interruptedAfter.set(Thread.currentThread().isInterrupted());
            });
            awaitBlockedInAcquire(waiter);
            waiter.thread.interrupt();
            awaitSettledAfterInterrupt(waiter);
            assertTrue(isBlockedInAcquire(waiter.thread), "the interrupt ended the wait: " + waiter.describe());
            assertEquals(null, result.get());
            lock.release();
            waiter.join();
            assertEquals(Boolean.TRUE, result.get());
            assertTrue(interruptedAfter.get(), "the interrupt status was lost");
            assertTrue(lock.locked());
        }

        /** An interrupted thread takes a free lock through every overload, and keeps its interrupt status. */
        @Test
        void interruptedThreadTakesFreeLockAndKeepsStatus() throws Exception {
            List<String> problems = new ArrayList<>();
            Worker worker = Worker.start("interrupted", () -> {
                Thread.currentThread().interrupt();
                check(problems, "acquire()", lock.acquire());
                lock.release();
                check(problems, "acquire(true)", lock.acquire(true));
                lock.release();
                check(problems, "acquire(false)", lock.acquire(false));
                lock.release();
                check(problems, "acquire(true, 1)", lock.acquire(true, 1));
                lock.release();
                check(problems, "acquire(true, 0)", lock.acquire(true, 0));
                lock.release();
                try (var held = lock.enter()) {
                    check(problems, "enter()", held.locked());
                }
            });
            worker.join();
            assertEquals(List.of(), problems);
            assertFalse(lock.locked());
        }

        private void check(List<String> problems, String call, boolean acquired) {
            if (!acquired) {
                problems.add(call + " returned false");
            }
            if (!Thread.currentThread().isInterrupted()) {
                problems.add(call + " cleared the interrupt status");
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Many threads: mutual exclusion, and no lost wake-up when timed waiters leave the queue. */
    @Nested
    class ManyThreads {

        /** Mutual exclusion: 8 threads x 100 000 increments of a plain {@code int} under the lock end exact. */
        @Test
        void plainCounterUnderLockIsExact() throws Exception {
            Counter counter = new Counter();
            int threads = 8;
            int iterations = 100_000;
            CountDownLatch go = new CountDownLatch(1);
            List<Worker> workers = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                workers.add(Worker.start("incrementer-" + i, () -> {
                    go.await();
                    for (int k = 0; k < iterations; k++) {
                        lock.acquire();
                        counter.value++;
                        lock.release();
                    }
                }));
            }
            go.countDown();
            for (Worker worker : workers) {
                worker.join();
            }
            assertEquals(threads * iterations, counter.value);
            assertFalse(lock.locked());
        }

        /**
         * Mutual exclusion with every way of acquiring mixed: {@code acquire()}, {@code enter()},
         * {@code acquire(false)} and {@code acquire(true, 0)} retry loops, and {@code acquire(true, 0.01)} retry loops.
         */
        @Test
        void mixedAcquireStylesKeepCounterExact() throws Exception {
            Counter counter = new Counter();
            int iterations = 50_000;
            CountDownLatch go = new CountDownLatch(1);
            List<Worker> workers = new ArrayList<>();
            AtomicLong failedTries = new AtomicLong();
            for (int style = 0; style < 5; style++) {
                for (int copy = 0; copy < 2; copy++) {
                    int s = style;
                    workers.add(Worker.start("style-" + style + "-" + copy, () -> {
                        go.await();
                        long failures = 0;
                        for (int k = 0; k < iterations; k++) {
                            switch (s) {
                                case 0:
                                    assertTrue(lock.acquire());
                                    break;
                                case 1:
                                    while (!lock.acquire(false)) {
                                        failures++;
                                        Thread.yield();
                                    }
                                    break;
                                case 2:
                                    while (!lock.acquire(true, 0.01)) {
                                        failures++;
                                    }
                                    break;
                                case 3:
                                    while (!lock.acquire(true, 0)) {
                                        failures++;
                                        Thread.yield();
                                    }
                                    break;
                                default:
                                    try (var held = lock.enter()) {
                                        counter.value++;
                                    }
                                    continue;
                            }
                            counter.value++;
                            lock.release();
                        }
                        failedTries.addAndGet(failures);
                    }));
                }
            }
            go.countDown();
            for (Worker worker : workers) {
                worker.join();
            }
            assertEquals(10 * iterations, counter.value, "failed tries: " + failedTries.get());
            assertFalse(lock.locked());
        }

        /**
         * No lost wake-up: 16 threads all waiting in {@code acquire()} are all served when the lock is released once
         * and each waiter releases after acquiring. Repeated 20 rounds.
         */
        @Test
        void manyWaitersAreAllServed() throws Exception {
            for (int round = 0; round < 20; round++) {
                Lock roundLock = new Lock(); // not the test's lock: a fresh one each round
                roundLock.acquire();
                Counter served = new Counter();
                List<Worker> waiters = new ArrayList<>();
                for (int i = 0; i < 16; i++) {
                    waiters.add(Worker.start("round-" + round + "-waiter-" + i, () -> {
                        assertTrue(roundLock.acquire());
                        served.value++;
                        roundLock.release();
                    }));
                }
                for (Worker waiter : waiters) {
                    awaitBlockedInAcquire(waiter);
                }
                assertEquals(0, served.value);
                roundLock.release();
                for (Worker waiter : waiters) {
                    waiter.join();
                }
                assertTrue(roundLock.acquire(false), "round " + round + ": the lock ended free");
                assertEquals(16, served.value, "round " + round);
            }
        }

        /**
         * A timed-out waiter may have taken the wake-up meant for the next one; it must pass it on. The race is
         * forced: the timed waiter is queued first, an unbounded waiter behind it, and the timed waiter is held up
         * while it leaves the queue after its timeout (its own {@code equals}, which {@code Lock}'s queue calls to
         * remove it, blocks until the lock has been released). So the release wakes the leaving timed waiter, and
         * the unbounded waiter finishes only if the leaving waiter passes the wake-up on. (If {@code Lock} does not
         * call {@code equals}, the test still runs, as a plain timeout-then-release check.)
         */
        @Test
        void timedOutWaiterPassesTheWakeUpOnForced() throws Exception {
            lock.acquire();
            CountDownLatch released = new CountDownLatch(1);
            AtomicReference<Boolean> timedResult = new AtomicReference<>();
            Worker timed = Worker.start(task -> new SlowToLeaveThread(task, released), "timed",
                    () -> timedResult.set(lock.acquire(true, 0.2)));
            SlowToLeaveThread slow = (SlowToLeaveThread) timed.thread;
            awaitBlockedInAcquire(timed);
            AtomicBoolean unboundedDone = new AtomicBoolean();
            Worker unbounded = Worker.start("unbounded", () -> {
                assertTrue(lock.acquire());
                unboundedDone.set(true);
                lock.release();
            });
            awaitBlockedInAcquire(unbounded);
            // Wait until the timed waiter has timed out and is leaving (or is gone, if equals is never called).
            long deadline = System.nanoTime() + Worker.PATIENCE_NANOS;
            while (!slow.leaving.await(1, TimeUnit.MILLISECONDS) && timed.thread.isAlive()) {
                assertTrue(System.nanoTime() - deadline < 0, "the timed waiter never timed out: " + timed.describe());
            }
            assertFalse(unboundedDone.get());
            lock.release();
            released.countDown();
            timed.join();
            assertEquals(Boolean.FALSE, timedResult.get());
            unbounded.thread.join(TimeUnit.SECONDS.toMillis(10));
            assertFalse(unbounded.thread.isAlive(), "lost wake-up: the lock is "
                    + (lock.locked() ? "locked" : "free") + " and " + unbounded.describe());
            unbounded.join();
            assertTrue(unboundedDone.get());
            assertFalse(lock.locked());
        }

        /**
         * The same race left to chance: a waiter with a short timeout is queued first, unbounded waiters behind it,
         * and the lock is released around the moment the timeout expires; the unbounded waiters must always finish.
         */
        @Test
        void timedOutWaiterPassesTheWakeUpOn() throws Exception {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (int round = 0; round < 15; round++) {
                Lock roundLock = new Lock(); // not the test's lock: a fresh one each round
                roundLock.acquire();
                long timeoutMillis = 60;
                Worker timed = Worker.start("round-" + round + "-timed", () -> {
                    if (roundLock.acquire(true, timeoutMillis / 1000.0)) {
                        roundLock.release();
                    }
                });
                long timedStart = System.nanoTime();
                awaitBlockedInAcquireOrFinished(timed);
                List<Worker> unbounded = new ArrayList<>();
                Counter served = new Counter();
                for (int i = 0; i < 3; i++) {
                    Worker worker = Worker.start("round-" + round + "-unbounded-" + i, () -> {
                        assertTrue(roundLock.acquire());
                        served.value++;
                        roundLock.release();
                    });
                    awaitBlockedInAcquire(worker);
                    unbounded.add(worker);
                }
                // Release somewhere around the timed waiter's deadline.
                long target = timedStart + TimeUnit.MILLISECONDS.toNanos(timeoutMillis - 5 + random.nextInt(10));
                while (System.nanoTime() < target) {
                    Thread.onSpinWait();
                }
                roundLock.release();
                for (Worker worker : unbounded) {
                    worker.join();
                }
                timed.join();
                assertEquals(3, served.value, "round " + round);
                assertFalse(roundLock.locked(), "round " + round);
            }
        }

        /**
         * Waiters with short timeouts come and go while unbounded waiters take turns: every unbounded waiter finishes
         * all its turns (no wake-up is swallowed by a leaving timed waiter) and mutual exclusion holds.
         */
        @Test
        void shortTimeoutWaitersMixedWithUnboundedWaiters() throws Exception {
            Counter counter = new Counter();
            AtomicBoolean stop = new AtomicBoolean();
            CountDownLatch go = new CountDownLatch(1);
            int unboundedThreads = 4;
            int turns = 50_000;
            List<Worker> timedWorkers = new ArrayList<>();
            AtomicLong timedOut = new AtomicLong();
            AtomicLong timedAcquired = new AtomicLong();
            for (int i = 0; i < 4; i++) {
                double timeout = 0.0005 * (i + 1);
                timedWorkers.add(Worker.start("timed-" + i, () -> {
                    go.await();
                    while (!stop.get()) {
                        if (lock.acquire(true, timeout)) {
                            counter.value++;
                            timedAcquired.incrementAndGet();
                            lock.release();
                        } else {
                            timedOut.incrementAndGet();
                        }
                    }
                }));
            }
            List<Worker> unboundedWorkers = new ArrayList<>();
            for (int i = 0; i < unboundedThreads; i++) {
                unboundedWorkers.add(Worker.start("unbounded-" + i, () -> {
                    go.await();
                    for (int k = 0; k < turns; k++) {
                        assertTrue(lock.acquire());
                        counter.value++;
                        lock.release();
                    }
                }));
            }
            go.countDown();
            try {
                for (Worker worker : unboundedWorkers) {
                    worker.join();
                }
            } finally {
                stop.set(true);
            }
            for (Worker worker : timedWorkers) {
                worker.join();
            }
            assertEquals(unboundedThreads * turns + timedAcquired.get(), counter.value,
                    "timed out " + timedOut.get() + " times");
            assertFalse(lock.locked());
        }
    }

    /** Virtual threads (JDK 21+, reached by reflection: the code is compiled for Java 17). */
    @Nested
    class VirtualThreads {

        /** A virtual thread waiting in {@code acquire()} is let through by {@code release()}. */
        @Test
        void virtualThreadWaitsAndIsReleased() throws Exception {
            Function<Runnable, Thread> factory = virtualThreadFactory();
            lock.acquire();
            AtomicReference<Boolean> result = new AtomicReference<>();
            Worker waiter = Worker.start(factory, "virtual-waiter", () -> result.set(lock.acquire()));
            assertTrue(waiter.thread.getClass().getName().contains("Virtual"), waiter.thread.getClass().getName());
            awaitBlockedInAcquire(waiter);
            assertEquals(null, result.get());
            lock.release();
            waiter.join();
            assertEquals(Boolean.TRUE, result.get());
            assertTrue(lock.locked());
        }

        /** An interrupted virtual thread keeps waiting, and keeps its interrupt status. */
        @Test
        void interruptDoesNotAbortVirtualThreadsAcquire() throws Exception {
            Function<Runnable, Thread> factory = virtualThreadFactory();
            lock.acquire();
            AtomicReference<Boolean> result = new AtomicReference<>();
            AtomicBoolean interruptedAfter = new AtomicBoolean();
            Worker waiter = Worker.start(factory, "virtual-waiter", () -> {
                result.set(lock.acquire());
                interruptedAfter.set(Thread.currentThread().isInterrupted());
            });
            awaitBlockedInAcquire(waiter);
            waiter.thread.interrupt();
            awaitSettledAfterInterrupt(waiter);
            assertTrue(isBlockedInAcquire(waiter.thread), "the interrupt ended the wait: " + waiter.describe());
            assertEquals(null, result.get());
            lock.release();
            waiter.join();
            assertEquals(Boolean.TRUE, result.get());
            assertTrue(interruptedAfter.get(), "the interrupt status was lost");
        }

        /** Many virtual threads (more than carriers) contending for one lock keep a plain counter exact. */
        @Test
        void manyVirtualThreadsKeepCounterExact() throws Exception {
            Function<Runnable, Thread> factory = virtualThreadFactory();
            Counter counter = new Counter();
            CountDownLatch go = new CountDownLatch(1);
            List<Worker> workers = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                workers.add(Worker.start(factory, "virtual-" + i, () -> {
                    go.await();
                    for (int k = 0; k < 500; k++) {
                        lock.acquire();
                        counter.value++;
                        lock.release();
                    }
                }));
            }
            go.countDown();
            for (Worker worker : workers) {
                worker.join();
            }
            assertEquals(200 * 500, counter.value);
            assertFalse(lock.locked());
        }

        private Function<Runnable, Thread> virtualThreadFactory() throws ReflectiveOperationException {
            assumeTrue(Runtime.version().feature() >= 21, "virtual threads need JDK 21+");
            Method ofVirtual = Thread.class.getMethod("ofVirtual");
            Method unstarted = Class.forName("java.lang.Thread$Builder").getMethod("unstarted", Runnable.class);
            return task -> {
                try {
                    return (Thread) unstarted.invoke(ofVirtual.invoke(null), task);
                } catch (IllegalAccessException | InvocationTargetException e) {
                    throw new IllegalStateException("cannot create a virtual thread", e);
                }
            };
        }
    }
}
