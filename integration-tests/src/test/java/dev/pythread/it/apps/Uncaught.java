package dev.pythread.it.apps;

import dev.pythread.PyThread;
import dev.pythread.SystemExit;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Threads that die of uncaught exceptions, by the paths the arguments name, one after the other. */
public final class Uncaught {

    private Uncaught() {
    }

    /**
     * @param args any of: platform, pool, virtual, systemexit, exit, handler, future
     */
    public static void main(String[] args) throws Exception {
        for (String mode : args) {
            switch (mode) {
                case "platform":
                    join(new Thread(() -> {
                        throw new IllegalStateException("boom-platform");
                    }, "dying-platform"));
                    break;
                case "pool": {
                    ExecutorService pool = Executors.newSingleThreadExecutor();
                    pool.execute(() -> {
                        throw new IllegalArgumentException("boom-pool");
                    });
                    pool.shutdown();
                    pool.awaitTermination(30, TimeUnit.SECONDS);
                    break;
                }
                case "virtual":
                    StartPaths.startNamedVirtual("dying-virtual", () -> {
                        throw new UnsupportedOperationException("boom-virtual");
                    }).join();
                    break;
                case "systemexit":
                    join(new Thread(() -> {
                        throw new SystemExit(3);
                    }, "exiting-1"));
                    break;
                case "exit":
                    join(new Thread(PyThread::exit, "exiting-2"));
                    break;
                case "handler": {
                    Thread thread = new Thread(() -> {
                        throw new IllegalStateException("boom-handled");
                    }, "dying-handled");
                    thread.setUncaughtExceptionHandler((t, e) ->
                            Out.line("own handler: " + t.getName() + " " + e.getMessage()));
                    join(thread);
                    break;
                }
                case "future": {
                    ExecutorService pool = Executors.newSingleThreadExecutor();
                    Future<?> failed = pool.submit(() -> {
                        throw new IllegalStateException("boom-captured");
                    });
                    try {
                        failed.get();
                    } catch (java.util.concurrent.ExecutionException e) {
                        Out.line("future failed: " + e.getCause().getMessage());
                    }
                    pool.shutdown();
                    pool.awaitTermination(30, TimeUnit.SECONDS);
                    break;
                }
                default:
                    throw new IllegalArgumentException(mode);
            }
        }
        Out.line("done");
    }

    private static void join(Thread thread) throws InterruptedException {
        thread.start();
        thread.join();
    }
}
