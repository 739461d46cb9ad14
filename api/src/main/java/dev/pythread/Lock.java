package dev.pythread;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * Python's {@code _thread.LockType}, the lock {@link PyThread#allocateLock()} returns: a binary semaphore.
 * It is not reentrant (a second blocking {@code acquire} by the holder waits, like any other thread's) and has
 * no owner (any thread may {@link #release()} it).
 *
 * <pre>{@code
 * Lock lock = PyThread.allocateLock();       // lock = _thread.allocate_lock()
 * try (var held = lock.enter()) {            // with lock:
 *     ...                                    //     ...
 * }
 * if (lock.acquire(true, 0.5)) { ... }       // if lock.acquire(timeout=0.5): ...
 * }</pre>
 *
 * <h2>Overview</h2>
 * The state is one {@code int}, 0 (unlocked) or 1 (locked), changed only by compare-and-set through a
 * {@link VarHandle}. An uncontended {@code acquire} is one CAS; an uncontended {@code release} is one CAS
 * and one read of the waiter queue field. Threads that must wait put a small node of their own in a
 * {@link ConcurrentLinkedQueue}, created on first contention, and park.
 *
 * <h2>Implementation notes</h2>
 * <ul>
 *   <li><b>Barging.</b> {@code release} does not hand the lock to a waiter: it unlocks, then unparks the
 *       waiter at the head of the queue, which competes for the lock with any thread arriving at that moment.
 *       This keeps the lock free between holders (high throughput); the queue keeps waiters in FIFO order
 *       for wake-ups, so no waiter starves under a fair scheduler. Fairness is not promised, as in CPython.</li>
 *   <li><b>No lost wake-up.</b> A waiter first enqueues itself, then tries the CAS, then parks; a releaser first
 *       unlocks, then looks at the queue. Both steps are volatile accesses, so at least one side sees the
 *       other: either the waiter's CAS finds the lock free, or the releaser finds the waiter and unparks it
 *       (an unpark before the park makes the park return at once).</li>
 *   <li><b>One unpark per wake-up.</b> A releaser unparks the head only if it is not already signalled (and marks it
 *       so); a woken waiter clears the mark <em>before</em> its next CAS. A holder that releases and re-takes the
 *       lock while the woken waiter has not run yet thus makes no further {@code unpark} system calls — the reason
 *       {@code AbstractQueuedSynchronizer} keeps a waiter status too. The same pairing as above (clear, then CAS;
 *       unlock, then read the mark) means a waiter that failed its CAS is always unparked again.</li>
 *   <li><b>Leaving the queue</b> — with the lock, or without it (timeout, or a signal to handle in the main
 *       thread) — may swallow a wake-up meant for the next waiter: until it has left, the leaving waiter is still the
 *       head a releaser wakes. (With the lock too: any thread may release it the instant it was taken.) So a waiter
 *       that has left the queue and sees the lock free unparks the new head.</li>
 *   <li><b>Interrupts</b> do not abort a wait (as {@code java.util.concurrent.locks.Lock.lock()}): the status is
 *       cleared while waiting, so that {@code park} blocks again, and restored before {@code acquire} returns.</li>
 *   <li><b>Signals.</b> In the main thread, a simulated signal ({@link PyThread#interruptMain}) wakes a waiting
 *       {@code acquire} (through {@code Thread.interrupt}), which leaves the queue and runs the handlers. If a
 *       handler throws, {@code acquire} throws that without taking the lock; if not, it waits again for the
 *       time that is left (PEP 475). An {@code acquire} that does not wait runs no handler, as in CPython.</li>
 *   <li><b>Size.</b> Two fields: 24 bytes with compressed oops, the queue only once contended.</li>
 * </ul>
 */
public final class Lock implements AutoCloseable {

    private static final int UNLOCKED = 0;
    private static final int LOCKED = 1;
    /** {@code acquireSlow}'s argument for "no time limit". */
    private static final long FOREVER = -1L;
    private static final double UNSET_TIMEOUT = -1.0;

    private static final VarHandle STATE;
    private static final VarHandle WAITERS;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            STATE = lookup.findVarHandle(Lock.class, "state", int.class);
            WAITERS = lookup.findVarHandle(Lock.class, "waiters", ConcurrentLinkedQueue.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
        // Load LockSupport now, not inside the first contended acquire (AQS does the same, JDK-8074773).
        Class<?> ensureLoaded = LockSupport.class;
    }

    /** {@link #UNLOCKED} or {@link #LOCKED}. */
    private volatile int state;

    /** Waiters, oldest first; {@code null} until the lock is first contended. */
    private volatile ConcurrentLinkedQueue<Waiter> waiters;

    /** A waiting thread, and whether a releaser has unparked it since it last looked at the lock. */
    private static final class Waiter {
        final Thread thread;
        volatile boolean signalled;

        Waiter(Thread thread) {
            this.thread = thread;
        }
    }

    /** Python's {@code _thread.LockType()}: a new, unlocked lock, as {@link PyThread#allocateLock()}. */
    public Lock() {
    }

    /**
     * Python's {@code lock.acquire()}: acquires the lock, waiting as long as needed.
     *
     * <p>{@link Thread#interrupt()} does not abort the wait; the thread's interrupt status is kept. In the main
     * thread, a simulated signal runs its handler during the wait; if the handler throws, this method throws it
     * without the lock.
     *
     * @return {@code true}
     */
    public boolean acquire() {
        return tryLock() || acquireSlow(FOREVER);
    }

    /**
     * Python's {@code lock.acquire(blocking)}.
     *
     * @param blocking {@code true}: as {@link #acquire()}; {@code false}: take the lock only if it is free now,
     *                 without waiting
     * @return whether the lock was acquired
     */
    public boolean acquire(boolean blocking) {
        return tryLock() || blocking && acquireSlow(FOREVER);
    }

    /**
     * Python's {@code lock.acquire(blocking, timeout)}.
     *
     * <p>The arguments are checked in CPython's order, before any attempt to take the lock.
     *
     * @param blocking {@code false}: take the lock only if it is free now (the timeout must then be {@code -1})
     * @param timeout  in seconds: {@code -1} (the default) waits as long as needed; {@code 0} tries once; a
     *                 positive value waits at most that long (rounded up to whole nanoseconds)
     * @return whether the lock was acquired; {@code false} once the timeout has elapsed
     * @throws IllegalArgumentException {@code "Invalid value NaN (not a number)"} if {@code timeout} is NaN;
     *                                  {@code "can't specify a timeout for a non-blocking call"} if
     *                                  {@code blocking} is {@code false} and {@code timeout != -1};
     *                                  {@code "timeout value must be a non-negative number"} if
     *                                  {@code timeout < 0} and {@code timeout != -1}
     * @throws ArithmeticException      {@code "timeout value is too large"} (Python's {@code OverflowError}) if
     *                                  {@code timeout > }{@link PyThread#TIMEOUT_MAX}
     */
    public boolean acquire(boolean blocking, double timeout) {
        long nanos = timeoutNanos(blocking, timeout);
        return tryLock() || nanos != 0 && acquireSlow(nanos);
    }

    /**
     * Python's {@code lock.release()}: unlocks the lock, which any thread may do, and wakes one waiter if there
     * is one.
     *
     * @throws ThreadError {@code "release unlocked lock"} if the lock is not locked
     */
    public void release() {
        if (!STATE.compareAndSet(this, LOCKED, UNLOCKED)) {
            throw new ThreadError("release unlocked lock");
        }
        wakeHead();
    }

    /**
     * Python's {@code lock.locked()}.
     *
     * @return whether some thread holds the lock now (a snapshot: it may change at once)
     */
    public boolean locked() {
        return state == LOCKED;
    }

    /**
     * Python's {@code with lock:} (the lock's {@code __enter__}): acquires the lock as {@link #acquire()} and
     * returns it, so that {@code try (var held = lock.enter()) { ... }} releases it on the way out.
     *
     * @return this lock, now held
     */
    public Lock enter() {
        acquire();
        return this;
    }

    /**
     * The end of Python's {@code with lock:} block (the lock's {@code __exit__}): releases the lock.
     *
     * @throws ThreadError {@code "release unlocked lock"} if the lock is not locked
     */
    @Override
    public void close() {
        release();
    }

    /**
     * Python's {@code repr(lock)}: {@code <unlocked _thread.lock object at 0x…>} or
     * {@code <locked _thread.lock object at 0x…>}. The "address" is the identity hash code, which is stable for
     * the object's life where a JVM address is not.
     */
    @Override
    public String toString() {
        return "<" + (locked() ? "locked" : "unlocked") + " _thread.lock object at 0x"
                + Integer.toHexString(System.identityHashCode(this)) + ">";
    }

    /** Test, then test-and-set: a held lock costs a read, not a failed CAS that takes the cache line. */
    private boolean tryLock() {
        return state == UNLOCKED && STATE.compareAndSet(this, UNLOCKED, LOCKED);
    }

    /**
     * Validates Python's {@code acquire(blocking, timeout)} arguments in CPython's order.
     *
     * @return 0 to try once, {@link #FOREVER}, or a positive number of nanoseconds
     */
    private static long timeoutNanos(boolean blocking, double timeout) {
        if (Double.isNaN(timeout)) {
            throw new IllegalArgumentException("Invalid value NaN (not a number)");
        }
        if (!blocking && timeout != UNSET_TIMEOUT) {
            throw new IllegalArgumentException("can't specify a timeout for a non-blocking call");
        }
        if (timeout < 0 && timeout != UNSET_TIMEOUT) {
            throw new IllegalArgumentException("timeout value must be a non-negative number");
        }
        if (!blocking) {
            return 0;
        }
        if (timeout == UNSET_TIMEOUT) {
            return FOREVER;
        }
        if (timeout > PyThread.TIMEOUT_MAX) {
            throw new ArithmeticException("timeout value is too large");
        }
        // Round up like CPython's _PyTime_ROUND_TIMEOUT: a tiny positive timeout still waits. The cast saturates
        // at Long.MAX_VALUE for TIMEOUT_MAX itself.
        return (long) Math.ceil(timeout * 1e9);
    }

    /**
     * Waits for the lock; see the class comment for the protocol.
     *
     * @param nanos {@link #FOREVER} or a positive time limit
     */
    private boolean acquireSlow(long nanos) {
        final Thread current = Thread.currentThread();
        final boolean timed = nanos != FOREVER;
        final long deadline = timed ? System.nanoTime() + nanos : 0L;
        final ConcurrentLinkedQueue<Waiter> queue = waiterQueue();
        final Waiter self = new Waiter(current);
        boolean interrupted = false;
        try {
            for (;;) {
                queue.add(self);
                boolean acquired = false;
                boolean timedOut = false;
                for (;;) {
                    self.signalled = false; // before the CAS: a releaser that sees this will unpark us again
                    if (tryLock()) {
                        acquired = true;
                        break;
                    }
                    if (Signals.pendingFor(current)) {
                        break;
                    }
                    if (timed) {
                        long remaining = deadline - System.nanoTime();
                        if (remaining <= 0) {
                            timedOut = true;
                            break;
                        }
                        LockSupport.parkNanos(this, remaining);
                    } else {
                        LockSupport.park(this);
                    }
                    // A signal's interrupt is the signal's to consume (Signals.runPendingHandlers); any other
                    // interrupt is remembered for the caller and cleared, or park would return at once forever.
                    if (!Signals.pendingFor(current) && Thread.interrupted()) {
                        interrupted = true;
                    }
                }
                queue.remove(self);
                // Until the remove above, a releaser could take us for the head still waiting and give us the
                // wake-up meant for the next waiter: a thread that acquired here (any thread may release, at once)
                // or that is leaving on a timeout or a signal. If the lock is free now, pass the wake-up on; if it
                // is held, its holder's release wakes the head.
                if (state == UNLOCKED) {
                    wakeHead();
                }
                if (acquired) {
                    return true;
                }
                if (timedOut) {
                    return false;
                }
                Signals.runPendingHandlers(); // may throw: we hold nothing and are out of the queue
            }
        } finally {
            if (interrupted) {
                current.interrupt();
            }
        }
    }

    private void wakeHead() {
        ConcurrentLinkedQueue<Waiter> queue = waiters;
        if (queue != null) {
            Waiter head = queue.peek();
            if (head != null && !head.signalled) {
                head.signalled = true;
                LockSupport.unpark(head.thread);
            }
        }
    }

    private ConcurrentLinkedQueue<Waiter> waiterQueue() {
        ConcurrentLinkedQueue<Waiter> queue = waiters;
        if (queue == null) {
            ConcurrentLinkedQueue<Waiter> created = new ConcurrentLinkedQueue<>();
            queue = (ConcurrentLinkedQueue<Waiter>) WAITERS.compareAndExchange(this, null, created);
            if (queue == null) {
                queue = created;
            }
        }
        return queue;
    }
}
