package dev.pythread;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.concurrent.TimeUnit;

/**
 * Tells when a {@link Worker} waits inside {@link Lock}: the lock tests order their threads by polling this
 * (bounded), never by long sleeps. A thread waits in the lock when it is parked (timed or not) with a {@code Lock}
 * frame on its stack.
 */
final class LockWaits {

    private LockWaits() {
    }

    /** Whether {@code thread} is parked (waiting, timed or not) inside a {@link Lock} method. */
    static boolean isBlockedInAcquire(Thread thread) {
        Thread.State state = thread.getState();
        if (state != Thread.State.WAITING && state != Thread.State.TIMED_WAITING) {
            return false;
        }
        for (StackTraceElement frame : thread.getStackTrace()) {
            if (frame.getClassName().equals(Lock.class.getName())) {
                return true;
            }
        }
        return false;
    }

    /** Polls (bounded) until the worker waits inside {@link Lock}; fails if it ends or takes too long. */
    static void awaitBlockedInAcquire(Worker worker) throws InterruptedException {
        long deadline = System.nanoTime() + Worker.PATIENCE_NANOS;
        while (!isBlockedInAcquire(worker.thread)) {
            if (!worker.thread.isAlive()) {
                worker.rethrowFailure();
                fail(worker.name + " finished instead of waiting in acquire");
            }
            if (System.nanoTime() - deadline > 0) {
                fail(worker.name + " never waited in acquire: " + worker.describe());
            }
            Thread.sleep(1);
        }
    }

    /** As {@link #awaitBlockedInAcquire}, but a worker that already finished (e.g. timed out) is fine too. */
    static void awaitBlockedInAcquireOrFinished(Worker worker) throws InterruptedException {
        long deadline = System.nanoTime() + Worker.PATIENCE_NANOS;
        while (worker.thread.isAlive() && !isBlockedInAcquire(worker.thread)) {
            if (System.nanoTime() - deadline > 0) {
                fail(worker.name + " never waited in acquire: " + worker.describe());
            }
            Thread.sleep(1);
        }
    }

    /**
     * After an interrupt of a waiting worker: gives it a short, bounded time to react (it has reacted once its
     * interrupt status is consumed and it waits again), so that the caller's "still waiting" check means something.
     */
    static void awaitSettledAfterInterrupt(Worker worker) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
        while (System.nanoTime() - deadline < 0) {
            if (!worker.thread.isAlive()) {
                return;
            }
            if (!worker.thread.isInterrupted() && isBlockedInAcquire(worker.thread)) {
                return;
            }
            Thread.sleep(1);
        }
    }
}
