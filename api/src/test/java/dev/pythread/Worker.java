package dev.pythread;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * A started (daemon) test thread that remembers what its body threw, so that an assertion failing in another
 * thread fails the test that started it ({@link #join()} rethrows it) instead of vanishing with the thread.
 */
final class Worker {

    /** How long a helper waits for another thread to reach a state or to finish before the test fails. */
    static final long PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(20);

    /** A worker's body: may throw anything, which the worker keeps for {@link #join()}. */
    @FunctionalInterface
    interface Body {
        void run() throws Exception;
    }

    final String name;
    final Thread thread;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    private Worker(Function<Runnable, Thread> factory, String name, Body body) {
        this.name = name;
        this.thread = factory.apply(() -> {
            try {
                body.run();
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        thread.setDaemon(true); // virtual threads are daemons already; this keeps them so
        thread.setName(name);
    }

    /** Starts {@code body} in a new platform thread called {@code name}. */
    static Worker start(String name, Body body) {
        return start(Thread::new, name, body);
    }

    /** Starts {@code body} in a thread made by {@code factory} (a virtual thread, a special subclass). */
    static Worker start(Function<Runnable, Thread> factory, String name, Body body) {
        Worker worker = new Worker(factory, name, body);
        worker.thread.start();
        return worker;
    }

    /** Waits (bounded) for the thread to end, then rethrows what it threw. */
    void join() throws InterruptedException {
        thread.join(TimeUnit.NANOSECONDS.toMillis(PATIENCE_NANOS));
        if (thread.isAlive()) {
            fail(name + " did not finish: " + describe());
        }
        rethrowFailure();
    }

    /** Rethrows, wrapped in an {@link AssertionError} naming the worker, what the body threw so far (if anything). */
    void rethrowFailure() {
        Throwable t = failure.get();
        if (t != null) {
            throw new AssertionError(name + " failed: " + t, t);
        }
    }

    /** The thread's name, state and stack, for a failure message. */
    String describe() {
        return name + " is " + thread.getState() + " at " + Arrays.toString(thread.getStackTrace());
    }
}
