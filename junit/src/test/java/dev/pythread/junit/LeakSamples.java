package dev.pythread.junit;

import static org.junit.jupiter.api.Assertions.fail;

import dev.pythread.PyThread;
import dev.pythread.junit.ThreadSamples.Sample;
import dev.pythread.junit.leaky.LeakyLibrary;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.ref.Cleaner;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.Timer;
import java.util.TimerTask;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * The test classes {@link ThreadLeakExtensionTest} runs with JUnit's {@code EngineTestKit}; enabled only there (see
 * {@link Sample}).
 *
 * <p>A leaked thread waits for {@link #release}, which the test opens after each run, then ends: the test JVM does
 * not keep them. Each is in {@link #LEAKED}, with the frame that started it in {@link #STARTED_AT}, so that the test
 * can spell out the exact message. Each sample waits until its thread is parked before it returns, so that the
 * state a report gives is known.
 */
final class LeakSamples {

    /** Opened by the test after each run: every leaked thread then ends. */
    static volatile CountDownLatch release = new CountDownLatch(1);

    /** The threads the samples leaked, in the order they were started. */
    static final List<Thread> LEAKED = new CopyOnWriteArrayList<>();

    /**
     * Where each leaked thread was started, as a report names it ({@code Class.method(File.java:line)}), by thread
     * name: a sample's {@code Thread} subclass may make {@code hashCode} throw.
     */
    static final Map<String, String> STARTED_AT = new ConcurrentHashMap<>();

    /** What ends the leaks that {@link #release} does not: executors to shut down, timers to cancel. */
    static final List<Runnable> CLEANUP = new CopyOnWriteArrayList<>();

    /** Keeps the samples' {@code Cleaner}s, and so their threads, alive while the run checks them. */
    static final List<Cleaner> CLEANERS = new CopyOnWriteArrayList<>();

    /** Where {@link #startVirtual} last started a thread. */
    static volatile String virtualStartedAt;

    /** Bounds every wait of a sample, so that a bug hangs nothing; never a timing assertion. */
    private static final long WAIT_SECONDS = 60;

    private LeakSamples() {
    }

    /** The caller's next line, as a report names the frame that started a thread there. */
    static String nextLine() {
        StackTraceElement caller = new Throwable().getStackTrace()[1];
        return caller.getClassName() + "." + caller.getMethodName() + "(" + caller.getFileName() + ":"
                + (caller.getLineNumber() + 1) + ")";
    }

    /**
     * Waits for {@link #release}: the body of every leaked thread. With no timeout, so that its state is
     * {@code WAITING}, as a pool's idle worker is; the test always opens the latch.
     */
    static void awaitRelease() {
        CountDownLatch latch = release;
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** A thread named {@code name} that waits for {@link #release}. */
    static Thread waiting(String name) {
        return new Thread(LeakSamples::awaitRelease, name);
    }

    /** Remembers {@code thread}, started at {@code startedAt} (if known), and waits until it is parked. */
    static void leaked(Thread thread, String startedAt) {
        LEAKED.add(thread);
        if (startedAt != null) {
            STARTED_AT.put(thread.getName(), startedAt);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (thread.getState() != Thread.State.WAITING && thread.getState() != Thread.State.TIMED_WAITING) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(thread + " never parked: " + thread.getState());
            }
            Thread.onSpinWait();
        }
    }

    /**
     * Starts a virtual thread named {@code name} (JDK 21+; this module compiles for 17: by reflection), and leaves
     * in {@link #virtualStartedAt} where: here, the nearest frame that is not the JDK's.
     */
    static Thread startVirtual(String name, Runnable body) {
        try {
            Class<?> builder = Class.forName("java.lang.Thread$Builder");
            Object named = builder.getMethod("name", String.class)
                    .invoke(Thread.class.getMethod("ofVirtual").invoke(null), name);
            virtualStartedAt = nextLine();
            return (Thread) builder.getMethod("start", Runnable.class).invoke(named, body);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private static void await(CyclicBarrier barrier) throws Exception {
        try {
            barrier.await(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException | BrokenBarrierException e) {
            throw new AssertionError("the two tests did not run at the same time", e);
        }
    }

    @Sample
    @DetectThreadLeaks
    static class PlainLeakSample {
        @Test
        void leaks() {
            Thread thread = waiting("leaky-plain");
            String at = nextLine();
            thread.start();
            leaked(thread, at);
        }
    }

    /** A {@code Thread} subclass whose {@code hashCode} and {@code equals} throw. */
    static final class HostileThread extends Thread {
        HostileThread(String name) {
            super(LeakSamples::awaitRelease, name);
        }

        @Override
        public int hashCode() {
            throw new IllegalStateException("hashCode");
        }

        @Override
        public boolean equals(Object other) {
            throw new IllegalStateException("equals");
        }
    }

    @Sample
    @DetectThreadLeaks
    static class HostileThreadSample {
        @Test
        void leaks() {
            Thread thread = new HostileThread("leaky-hostile");
            String at = nextLine();
            thread.start();
            leaked(thread, at);
        }
    }

    @Sample
    @DetectThreadLeaks
    static class ExecutorLeakSample {
        @Test
        void neverShutsItsPoolDown() throws InterruptedException {
            ExecutorService pool = Executors.newFixedThreadPool(1, task -> new Thread(task, "leaky-pool"));
            CLEANUP.add(pool::shutdown);
            AtomicReference<Thread> worker = new AtomicReference<>();
            CountDownLatch ran = new CountDownLatch(1);
            String at = nextLine();
            pool.execute(() -> {
                worker.set(Thread.currentThread());
                ran.countDown();
            });
            ran.await();
            leaked(worker.get(), at);
        }
    }

    @Sample
    @DetectThreadLeaks
    static class TimerLeakSample {
        @Test
        void neverCancelsItsTimer() throws InterruptedException {
            String at = nextLine();
            Timer timer = new Timer("leaky-timer");
            CLEANUP.add(timer::cancel);
            AtomicReference<Thread> thread = new AtomicReference<>();
            CountDownLatch ran = new CountDownLatch(1);
            timer.schedule(new TimerTask() {
                @Override
                public void run() {
                    thread.set(Thread.currentThread());
                    ran.countDown();
                }
            }, 0);
            ran.await();
            leaked(thread.get(), at);
        }
    }

    @Sample
    @DetectThreadLeaks
    static class VirtualLeakSample {
        @Test
        void leavesAVirtualThreadParked() {
            Thread thread = startVirtual("leaky-virtual", LeakSamples::awaitRelease);
            leaked(thread, virtualStartedAt);
        }
    }

    @Sample
    @DetectThreadLeaks
    static class BeforeAllLeakSample {
        @BeforeAll
        static void startsAThreadForAllTests() {
            Thread thread = waiting("leaky-before-all");
            String at = nextLine();
            thread.start();
            leaked(thread, at);
        }

        @Test
        void passes() {
        }
    }

    /** A thread that is still ending when the test ends: the linger waits for it. */
    @Sample
    @DetectThreadLeaks
    static class LingeringSample {
        private final CountDownLatch done = new CountDownLatch(1);

        @Test
        void leavesAThreadThatEndsSoon() {
            new Thread(() -> {
                try {
                    done.await();
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }, "slow-to-end").start();
        }

        @AfterEach
        void tellItToEnd() {
            done.countDown();
        }
    }

    /** Two threads still alive when the test ends: one ends during the linger, the other does not. */
    @Sample
    @DetectThreadLeaks
    static class PartlyLingeringSample {
        private final CountDownLatch done = new CountDownLatch(1);

        @Test
        void leavesTwoThreads() {
            new Thread(() -> {
                try {
                    done.await();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }, "slow-to-end").start();
            Thread thread = waiting("leaky-plain");
            String at = nextLine();
            thread.start();
            leaked(thread, at);
        }

        @AfterEach
        void tellOneToEnd() {
            done.countDown();
        }
    }

    /** Threads of the JDK and JUnit that outlive the test by design. */
    @Sample
    @DetectThreadLeaks
    static class JdkThreadsSample {
        @Test
        @Timeout(60) // JUnit's timeout watcher thread
        void usesThreadsOfTheJdk() throws Exception {
            ForkJoinPool.commonPool().submit(() -> { }).get();
            IntStream.range(0, 1000).parallel().sum();
            Cleaner cleaner = Cleaner.create();
            CLEANERS.add(cleaner);
            new ProcessBuilder("true").start().waitFor();
            if (Runtime.version().feature() >= 21) {
                readInAVirtualThread(); // the first one starts the JDK's pollers
            }
        }

        private static void readInAVirtualThread() throws Exception {
            InetAddress loopback = InetAddress.getLoopbackAddress();
            try (ServerSocket server = new ServerSocket(0, 1, loopback)) {
                Thread reader = startVirtual("virtual-reader", () -> {
                    try (Socket socket = new Socket(loopback, server.getLocalPort());
                            InputStream in = socket.getInputStream()) {
                        in.read();
                    } catch (IOException e) {
                        throw new AssertionError(e);
                    }
                });
                try (Socket accepted = server.accept(); OutputStream out = accepted.getOutputStream()) {
                    Thread.sleep(50); // so that the reader blocks, and parks on a poller
                    out.write(1);
                }
                reader.join();
            }
        }
    }

    /** Threads a library starts: for the ignore rules. */
    @Sample
    @DetectThreadLeaks
    static class LibrarySample {
        @Test
        void usesALibraryThatLeaks() {
            leaked(LeakyLibrary.startPlain("library-plain", LeakSamples::awaitRelease), null);
            leaked(LeakyLibrary.startOwn("library-own", LeakSamples::awaitRelease), null);
            Thread thread = waiting("leaky-plain");
            String at = nextLine();
            thread.start();
            leaked(thread, at);
        }
    }

    @Sample
    @DetectThreadLeaks(ignore = {"name:ignored-*", "name:also-ignored"})
    static class AnnotatedIgnoreSample {
        @Test
        void leaksThreeThreads() {
            for (String name : new String[] {"ignored-1", "also-ignored", "leaky-plain"}) {
                Thread thread = waiting(name);
                String at = nextLine();
                thread.start();
                leaked(thread, at);
            }
        }
    }

    /** No annotation: only the configuration parameter, with auto-detection, turns the detection on. */
    @Sample
    static class AutodetectedLeakSample {
        @Test
        void leaks() {
            Thread thread = waiting("leaky-plain");
            String at = nextLine();
            thread.start();
            leaked(thread, at);
        }
    }

    /** The annotation on one method only. */
    @Sample
    static class MethodAnnotationSample {
        @Test
        @DetectThreadLeaks
        void watched() {
            Thread thread = waiting("leaky-watched");
            String at = nextLine();
            thread.start();
            leaked(thread, at);
        }

        @Test
        void notWatched() {
            Thread thread = waiting("leaky-not-watched");
            String at = nextLine();
            thread.start();
            leaked(thread, at);
        }
    }

    @Sample
    @DetectThreadLeaks
    static class FailingLeakSample {
        @Test
        void leaksAndFails() {
            Thread thread = waiting("leaky-plain");
            String at = nextLine();
            thread.start();
            leaked(thread, at);
            fail("the test's own failure");
        }
    }

    @Sample
    @DetectThreadLeaks
    static class PyThreadLeakSample {
        @Test
        void leaksAPyThread() throws InterruptedException {
            AtomicReference<Thread> started = new AtomicReference<>();
            CountDownLatch running = new CountDownLatch(1);
            PyThread.startNewThread(() -> {
                started.set(Thread.currentThread());
                running.countDown();
                awaitRelease();
            });
            running.await();
            leaked(started.get(), null);
        }
    }

    @Sample
    @DetectThreadLeaks(linger = "soon")
    static class BadLingerSample {
        @Test
        void neverRuns() {
        }
    }

    /**
     * Two tests at the same time, both creating threads; only {@link #a} leaks one. Under the agent each thread is
     * known to be its test's; without it, the two tests' threads cannot be told apart.
     */
    @Sample
    @DetectThreadLeaks
    @Execution(ExecutionMode.CONCURRENT)
    static class ParallelLeakSample {
        static CyclicBarrier barrier;

        @Test
        void a() throws Exception {
            await(barrier);
            Thread thread = waiting("leaky-a");
            String at = nextLine();
            thread.start();
            leaked(thread, at);
            await(barrier);
        }

        @Test
        void b() throws Exception {
            await(barrier);
            Thread thread = new Thread(() -> { }, "worker-b");
            thread.start();
            thread.join();
            await(barrier);
        }
    }
}
