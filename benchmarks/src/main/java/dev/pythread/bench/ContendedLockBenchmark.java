package dev.pythread.bench;

import dev.pythread.Lock;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Two threads hammering one lock: total acquire+release pairs per microsecond (throughput; higher is better) of
 * {@link Lock} against {@code Semaphore(1)} (the target's baseline: at least as many), {@code ReentrantLock} and
 * a {@code synchronized} block.
 *
 * <p>The state is {@link Scope#Benchmark}: both threads share one instance, hence one lock — that is the
 * contention. The critical section is empty, the worst case for a lock: all that is measured is how the lock hands
 * itself over, including parking and waking a waiter when a thread loses the race. Both {@code Lock} and the
 * non-fair {@code Semaphore}/{@code ReentrantLock} let a running thread barge ahead of a parked one, so a thread
 * often re-takes the lock it just released; that is what throughput rewards, and it is why neither promises
 * fairness.
 *
 * <p>With two threads on a two-core machine the result depends on the scheduler and on whatever else runs:
 * read it as a ratio to the baselines measured in the same run, not as an absolute.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Threads(2)
@State(Scope.Benchmark)
public class ContendedLockBenchmark {

    private Lock lock;
    private Semaphore semaphore;
    private ReentrantLock reentrantLock;
    private Object monitor;

    @Setup
    public void setUp() {
        lock = new Lock();
        semaphore = new Semaphore(1);
        reentrantLock = new ReentrantLock();
        monitor = new Object();
    }

    @Benchmark
    public boolean lock() {
        boolean acquired = lock.acquire();
        lock.release();
        return acquired;
    }

    @Benchmark
    public void semaphore() throws InterruptedException {
        semaphore.acquire();
        semaphore.release();
    }

    @Benchmark
    public void reentrantLock() {
        reentrantLock.lock();
        reentrantLock.unlock();
    }

    @Benchmark
    public void synchronizedBlock() {
        synchronized (monitor) {
            // empty: the monitor hand-over is what is measured
        }
    }
}
