package dev.pythread.junit;

import static org.junit.jupiter.api.Assertions.fail;

import dev.pythread.PyThread;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * The test classes {@link ThreadExceptionExtensionTest} runs with JUnit's {@code EngineTestKit}. Never run on their
 * own: Surefire skips nested classes, and {@link Sample} disables them in any run that does not set
 * {@link #RUN_SAMPLES} (an IDE running every class of the package).
 *
 * <p>Each sample records the exceptions its threads throw in {@link #THROWN}, so that the test can check that the
 * failure carries those very objects.
 */
final class ThreadSamples {

    /** The configuration parameter that enables the samples. */
    static final String RUN_SAMPLES = "pythread.junit.samples";

    /** The exceptions the samples' threads threw, in order; cleared before each run. */
    static final List<Throwable> THROWN = new CopyOnWriteArrayList<>();

    /** What a thread's own handler received ({@link OwnHandlerSample}). */
    static final List<Throwable> HANDLED = new CopyOnWriteArrayList<>();

    /** A thread created by the test class itself, outside any test ({@link UnownedSample}); set before the run. */
    static volatile Thread unowned;

    /** The name of the last thread {@link PyThreadSample} started. */
    static volatile String pyThreadName;

    /** Bounds every wait of a sample, so that a bug hangs nothing; never a timing assertion. */
    private static final long WAIT_SECONDS = 60;

    private ThreadSamples() {
    }

    /** Marks a sample class: enabled only when {@link #RUN_SAMPLES} is set. */
    @Target(ElementType.TYPE)
    @Retention(RetentionPolicy.RUNTIME)
    @ExtendWith(OnlyInTestKit.class)
    @interface Sample {
    }

    /** The condition behind {@link Sample}. */
    static final class OnlyInTestKit implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return context.getConfigurationParameter(RUN_SAMPLES).isPresent()
                    ? ConditionEvaluationResult.enabled("run by ThreadExceptionExtensionTest")
                    : ConditionEvaluationResult.disabled("a sample for ThreadExceptionExtensionTest, not a test");
        }
    }

    /** A thread named {@code name} that throws {@code exc} (recorded in {@link #THROWN} first). */
    static Thread dying(String name, RuntimeException exc) {
        return new Thread(() -> {
            THROWN.add(exc);
            throw exc;
        }, name);
    }

    /** Starts a thread that dies of {@code exc}, and waits for it to be gone. */
    static void dieIn(String name, RuntimeException exc) throws InterruptedException {
        Thread thread = dying(name, exc);
        thread.start();
        thread.join();
    }

    private static void await(CyclicBarrier barrier) throws Exception {
        try {
            barrier.await(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException | BrokenBarrierException e) {
            throw new AssertionError("the two tests did not run at the same time", e);
        }
    }

    @Sample
    @ExtendWith(ThreadExceptionExtension.class)
    static class PassingSample {
        @Test
        void threadEndsNormally() throws InterruptedException {
            Thread thread = new Thread(() -> { }, "worker-1");
            thread.start();
            thread.join();
        }
    }

    @Sample
    @ExtendWith(ThreadExceptionExtension.class)
    static class DyingSample {
        @Test
        void dies() throws InterruptedException {
            dieIn("worker-1", new IllegalStateException("boom"));
        }
    }

    @Sample
    @ExtendWith(ThreadExceptionExtension.class)
    static class TwoDyingSample {
        @Test
        void twoDie() throws InterruptedException {
            dieIn("worker-1", new IllegalStateException("boom"));
            dieIn("worker-2", new IllegalArgumentException("bang"));
        }
    }

    @Sample
    @ExtendWith(ThreadExceptionExtension.class)
    static class ManyDyingSample {
        static final int THREADS = 50;

        @Test
        void manyDieAtOnce() throws InterruptedException {
            CountDownLatch start = new CountDownLatch(1);
            Thread[] threads = new Thread[THREADS];
            for (int i = 0; i < THREADS; i++) {
                RuntimeException exc = new IllegalStateException("boom " + i);
                threads[i] = new Thread(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                    THROWN.add(exc);
                    throw exc;
                }, "worker-" + i);
                threads[i].start();
            }
            start.countDown();
            for (Thread thread : threads) {
                thread.join();
            }
        }
    }

    @Sample
    @ExtendWith(ThreadExceptionExtension.class)
    static class FailingSample {
        @Test
        void failsItselfToo() throws InterruptedException {
            dieIn("worker-1", new IllegalStateException("boom"));
            fail("the test's own failure");
        }
    }

    /** A thread that outlives its test and dies in {@code @AfterAll}, after the test ended. */
    @Sample
    @ExtendWith(ThreadExceptionExtension.class)
    static class LateSample {
        static CountDownLatch release;
        static Thread late;

        @Test
        void leavesAThreadBehind() {
            release = new CountDownLatch(1);
            late = new Thread(() -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                RuntimeException exc = new IllegalStateException("late");
                THROWN.add(exc);
                throw exc;
            }, "late-worker");
            late.start();
        }

        @AfterAll
        static void letItDie() throws InterruptedException {
            release.countDown();
            late.join();
        }
    }

    @Sample
    @ExtendWith(ThreadExceptionExtension.class)
    static class AllowedMethodSample {
        static CountDownLatch release;
        static Thread late;

        @Test
        @AllowThreadExceptions("the thread dies on purpose")
        void allowed() {
            release = new CountDownLatch(1);
            late = new Thread(() -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                throw new IllegalStateException("late, allowed");
            }, "late-worker");
            late.start();
            try {
                dieIn("worker-1", new IllegalStateException("allowed"));
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }

        @Test
        void notAllowed() throws InterruptedException {
            dieIn("worker-2", new IllegalStateException("not allowed"));
        }

        @AfterAll
        static void letTheLateOneDie() throws InterruptedException {
            release.countDown();
            late.join();
        }
    }

    @Sample
    @ExtendWith(ThreadExceptionExtension.class)
    @AllowThreadExceptions
    static class AllowedClassSample {
        static CountDownLatch release;
        static Thread late;

        @Test
        void dies() throws InterruptedException {
            release = new CountDownLatch(1);
            late = new Thread(() -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                throw new IllegalStateException("late, allowed");
            }, "late-worker");
            late.start();
            dieIn("worker-1", new IllegalStateException("allowed"));
        }

        @AfterAll
        static void letTheLateOneDie() throws InterruptedException {
            release.countDown();
            late.join();
        }
    }

    /** A thread with an {@code UncaughtExceptionHandler} of its own: the JVM never calls the default handler. */
    @Sample
    @ExtendWith(ThreadExceptionExtension.class)
    static class OwnHandlerSample {
        @Test
        void diesIntoItsOwnHandler() throws InterruptedException {
            Thread thread = dying("own-handler", new IllegalStateException("boom"));
            thread.setUncaughtExceptionHandler((t, e) -> HANDLED.add(e));
            thread.start();
            thread.join();
        }
    }

    /** {@code PyThread.startNewThread}: its threads report to {@code Unraisable}, never to the JVM's handlers. */
    @Sample
    @ExtendWith(ThreadExceptionExtension.class)
    static class PyThreadSample {
        @Test
        void pyThreadDies() throws InterruptedException {
            AtomicReference<Thread> started = new AtomicReference<>();
            CountDownLatch running = new CountDownLatch(1);
            PyThread.startNewThread(() -> {
                started.set(Thread.currentThread());
                pyThreadName = Thread.currentThread().getName();
                running.countDown();
                RuntimeException exc = new IllegalStateException("boom");
                THROWN.add(exc);
                throw exc;
            });
            running.await();
            started.get().join();
        }
    }

    /** No {@code @ExtendWith}: only auto-detection registers the extension. */
    @Sample
    static class AutodetectedSample {
        @Test
        void dies() throws InterruptedException {
            dieIn("worker-1", new IllegalStateException("boom"));
        }
    }

    /**
     * Two tests at the same time, each with a thread that dies while the other test is running: each thread is held
     * against the test that started it.
     */
    @Sample
    @ExtendWith(ThreadExceptionExtension.class)
    @Execution(ExecutionMode.CONCURRENT)
    static class ParallelSample {
        static CyclicBarrier barrier;

        @Test
        void a() throws Exception {
            await(barrier);
            dieIn("worker-a", new IllegalStateException("a"));
            await(barrier);
        }

        @Test
        void b() throws Exception {
            await(barrier);
            dieIn("worker-b", new IllegalStateException("b"));
            await(barrier);
        }
    }

    /**
     * Two tests at the same time; a thread created outside both ({@link #unowned}) dies while both run: it is held
     * against both.
     */
    @Sample
    @ExtendWith(ThreadExceptionExtension.class)
    @Execution(ExecutionMode.CONCURRENT)
    static class UnownedSample {
        static CyclicBarrier barrier;

        @Test
        void startsIt() throws Exception {
            await(barrier);
            unowned.start();
            unowned.join();
            await(barrier);
        }

        @Test
        void justRuns() throws Exception {
            await(barrier);
            await(barrier);
        }
    }
}
