package dev.pythread.it.apps;

import dev.pythread.PyThread;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Timer;
import java.util.TimerTask;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;

/**
 * Starts threads by one of the JDK's paths (the argument) and prints {@code run NAME} in each thread, so that
 * the test can check that {@link RecordingHook} saw each start once, before the thread ran.
 */
public final class StartPaths {

    private StartPaths() {
    }

    /**
     * @param args the path: plain, lyingstate, subclass, pool, forkjoin, commonpool, timer, virtual, startvirtual,
     *             virtualexecutor, pythread, veto-plain, veto-pool, veto-virtual
     */
    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "plain": {
                Thread thread = new Thread(StartPaths::run, "plain-1");
                thread.start();
                thread.join();
                break;
            }
            case "lyingstate": {
                // Says it runs already: start() must neither believe it nor skip the audit.
                Thread thread = new Thread(StartPaths::run, "lyingstate-1") {
                    @Override
                    public State getState() {
                        return State.RUNNABLE;
                    }
                };
                thread.start();
                thread.join();
                break;
            }
            case "subclass": {
                Thread thread = new Thread("subclass-1") {
                    @Override
                    public void run() {
                        StartPaths.run();
                    }
                };
                thread.start();
                thread.join();
                break;
            }
            case "pool": {
                ExecutorService pool = Executors.newFixedThreadPool(2);
                CyclicBarrier bothRunning = new CyclicBarrier(2);
                for (int i = 0; i < 2; i++) {
                    pool.execute(() -> {
                        run();
                        await(bothRunning);
                    });
                }
                shutdown(pool);
                break;
            }
            case "forkjoin": {
                ForkJoinPool pool = new ForkJoinPool(1);
                pool.submit(StartPaths::run).get();
                shutdown(pool);
                break;
            }
            case "commonpool":
                CompletableFuture.runAsync(StartPaths::run).get();
                break;
            case "timer": {
                CountDownLatch ran = new CountDownLatch(1);
                Timer timer = new Timer("timer-1");
                timer.schedule(new TimerTask() {
                    @Override
                    public void run() {
                        StartPaths.run();
                        ran.countDown();
                    }
                }, 0);
                ran.await();
                timer.cancel();
                break;
            }
            case "virtual":
                join(startNamedVirtual("virtual-1", StartPaths::run));
                break;
            case "startvirtual":
                join((Thread) Thread.class.getMethod("startVirtualThread", Runnable.class)
                        .invoke(null, (Runnable) StartPaths::run));
                break;
            case "virtualexecutor": {
                ExecutorService pool = (ExecutorService) Executors.class
                        .getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
                for (int i = 0; i < 3; i++) {
                    pool.submit(StartPaths::run).get();
                }
                shutdown(pool);
                break;
            }
            case "pythread": {
                CountDownLatch ran = new CountDownLatch(1);
                PyThread.startNewThread(new dev.pythread.PyFunction() {
                    @Override
                    public void call(Object[] positional, java.util.Map<String, Object> keywords) {
                        run();
                        ran.countDown();
                    }

                    @Override
                    public String toString() {
                        return "<function work>";
                    }
                }, new Object[] {"a", 1});
                ran.await();
                break;
            }
            case "veto-plain": {
                Thread thread = new Thread(StartPaths::run, "veto-plain-1");
                try {
                    thread.start();
                    Out.line("started anyway");
                } catch (IllegalStateException e) {
                    Out.line("refused: " + e.getMessage() + "; thread is " + thread.getState());
                }
                break;
            }
            case "veto-subclass": {
                Thread thread = new Thread("veto-subclass-1") {
                    @Override
                    public void run() {
                        StartPaths.run();
                    }
                };
                refuse(thread::start);
                break;
            }
            case "veto-timer":
                refuse(() -> new Timer("veto-timer-1")); // a Timer starts its thread in its constructor
                break;
            case "veto-forkjoin": {
                ForkJoinPool pool = new ForkJoinPool(1, fjp -> {
                    java.util.concurrent.ForkJoinWorkerThread worker =
                            ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(fjp);
                    worker.setName("veto-forkjoin-1");
                    return worker;
                }, null, false);
                refuse(() -> pool.execute(StartPaths::run));
                pool.shutdownNow();
                break;
            }
            case "veto-pool": {
                ExecutorService pool = Executors.newFixedThreadPool(1, r -> new Thread(r, "veto-pool-1"));
                try {
                    pool.execute(StartPaths::run);
                    Out.line("started anyway");
                } catch (IllegalStateException e) {
                    Out.line("refused: " + e.getMessage());
                }
                shutdown(pool);
                break;
            }
            case "veto-virtual":
                try {
                    startNamedVirtual("veto-virtual-1", StartPaths::run);
                    Out.line("started anyway");
                } catch (IllegalStateException e) {
                    Out.line("refused: " + e.getMessage());
                }
                // The JVM's virtual threads still work after a vetoed start.
                join(startNamedVirtual("virtual-after-veto", StartPaths::run));
                break;
            default:
                throw new IllegalArgumentException(args[0]);
        }
        Out.line("done");
    }

    /** Runs a start that the hook must veto, and prints how it was refused. */
    private static void refuse(Runnable start) {
        try {
            start.run();
            Out.line("started anyway");
        } catch (IllegalStateException e) {
            Out.line("refused: " + e.getMessage());
        }
    }

    static void run() {
        Out.line("run " + Out.label(Thread.currentThread()));
    }

    /** {@code Thread.ofVirtual().name(name).start(task)}, through reflection: the tests compile for Java 17. */
    public static Thread startNamedVirtual(String name, Runnable task) throws Exception {
        Class<?> builderType = Class.forName("java.lang.Thread$Builder");
        Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
        builder = builderType.getMethod("name", String.class).invoke(builder, name);
        Method start = builderType.getMethod("start", Runnable.class);
        try {
            return (Thread) start.invoke(builder, task);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException) {
                throw (RuntimeException) e.getCause();
            }
            throw e;
        }
    }

    private static void join(Thread thread) throws InterruptedException {
        thread.join();
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void shutdown(ExecutorService pool) throws InterruptedException {
        pool.shutdown();
        if (!pool.awaitTermination(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("pool did not terminate");
        }
    }
}
