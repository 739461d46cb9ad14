package dev.pythread.bench;

import dev.pythread.Lock;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The uncontended cost of {@link Lock}, in nanoseconds per operation, against the JDK's ways of doing the same:
 * {@code Semaphore(1)} (the JDK's binary semaphore, the closest match to a lock without an owner, and the
 * baseline of the targets), {@code ReentrantLock} and a {@code synchronized} block.
 *
 * <p>Three shapes, each next to its baseline:
 * <ul>
 *   <li>{@code acquire()}+{@code release()}: the fast path of every {@code with lock:} — one CAS in, one CAS out
 *       (target: no slower than {@code Semaphore(1)}); {@code Semaphore.acquire()} is interruptible and
 *       {@code Lock.acquire()} is not, so {@code acquireUninterruptibly()} is measured too;</li>
 *   <li>{@code try (var held = lock.enter())} against {@code Semaphore} in {@code try}/{@code finally}: the
 *       {@code AutoCloseable} form must cost nothing over the hand-written one;</li>
 *   <li>{@code acquire(false)} on a lock somebody holds, against {@code tryAcquire()} on a drained semaphore: a
 *       polling loop's cost, which must be a read, not a failed CAS that takes the cache line.</li>
 * </ul>
 *
 * <p>The state is {@link Scope#Thread}: each benchmark thread has its own locks, so nothing is contended (see
 * {@link ContendedLockBenchmark} for that). The locks are non-final instance fields of a state object, so the JIT
 * can neither see them as constants nor prove they do not escape (which would let it elide a
 * {@code synchronized}). The critical sections are empty on purpose: what is measured is the lock alone. Methods
 * return what the lock returns, so that JMH consumes it.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class LockBenchmark {

    private Lock lock;
    private Semaphore semaphore;
    private ReentrantLock reentrantLock;
    private Object monitor;

    /** Held for the whole trial: {@code acquire(false)} on it always fails. */
    private Lock heldLock;
    /** Its only permit taken for the whole trial: {@code tryAcquire()} on it always fails. */
    private Semaphore drainedSemaphore;

    @Setup(Level.Trial)
    public void setUp() {
        lock = new Lock();
        semaphore = new Semaphore(1);
        reentrantLock = new ReentrantLock();
        monitor = new Object();
        heldLock = new Lock();
        heldLock.acquire();
        drainedSemaphore = new Semaphore(1);
        drainedSemaphore.acquireUninterruptibly();
    }

    /** A broken benchmark (a lock left held, a held one released) must not report a figure. */
    @TearDown(Level.Trial)
    public void checkState() {
        if (lock.locked() || !heldLock.locked() || semaphore.availablePermits() != 1
                || drainedSemaphore.availablePermits() != 0 || reentrantLock.isLocked()) {
            throw new IllegalStateException("a benchmark left a lock in the wrong state");
        }
    }

    // ---- acquire() + release()

    @Benchmark
    public boolean lockAcquireRelease() {
        boolean acquired = lock.acquire();
        lock.release();
        return acquired;
    }

    @Benchmark
    public void semaphoreAcquireRelease() throws InterruptedException {
        semaphore.acquire();
        semaphore.release();
    }

    @Benchmark
    public void semaphoreAcquireUninterruptiblyRelease() {
        semaphore.acquireUninterruptibly();
        semaphore.release();
    }

    @Benchmark
    public void reentrantLockLockUnlock() {
        reentrantLock.lock();
        reentrantLock.unlock();
    }

    @Benchmark
    public void synchronizedBlock() {
        synchronized (monitor) {
            // empty: the monitor enter and exit are what is measured
        }
    }

    // ---- with lock:

    @Benchmark
    @SuppressWarnings("try") // the resource is the lock itself; the body is empty on purpose
    public void lockEnterTryWithResources() {
        try (Lock held = lock.enter()) {
            // empty: Python's "with lock: pass"
        }
    }

    @Benchmark
    public void semaphoreTryFinally() throws InterruptedException {
        semaphore.acquire();
        try {
            // empty: the same shape, written by hand
        } finally {
            semaphore.release();
        }
    }

    // ---- a failed try

    @Benchmark
    public boolean lockTryAcquireHeld() {
        return heldLock.acquire(false);
    }

    @Benchmark
    public boolean semaphoreTryAcquireDrained() {
        return drainedSemaphore.tryAcquire();
    }
}
