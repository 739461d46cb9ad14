package dev.pythread.it.apps;

import java.lang.reflect.Method;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** Starts threads from known places, for the caller-attribution test. */
public final class Callers {

    private Callers() {
    }

    public static void main(String[] args) throws Exception {
        startPlain();
        startThroughPool();
        startThroughReflection();
        if (Runtime.version().feature() >= 21) {
            StartPaths.startNamedVirtual("virtual-by-app", () -> { }).join();
        }
        // Started at exit by the JDK, on its own stack: no application frame started it.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> { }, "app-shutdown-hook"));
    }

    static void startPlain() throws InterruptedException {
        Thread thread = new Thread(() -> { }, "by-app");
        thread.start();
        thread.join();
    }

    /**
     * A pool's {@code execute}, called by reflection more often than JDK 17 interprets it (15 times): the later calls
     * go through an accessor class the JDK generates, which no JDK loader defines, and which started nothing.
     */
    static void startThroughReflection() throws Exception {
        Method execute = ExecutorService.class.getMethod("execute", Runnable.class);
        for (int i = 1; i <= REFLECTED_STARTS; i++) {
            String name = "by-reflection-" + i;
            ExecutorService pool = Executors.newSingleThreadExecutor(task -> new Thread(task, name));
            execute.invoke(pool, (Runnable) () -> { });
            pool.shutdown();
            pool.awaitTermination(30, TimeUnit.SECONDS);
        }
    }

    /** How many starts {@link #startThroughReflection} makes. */
    public static final int REFLECTED_STARTS = 20;

    static void startThroughPool() throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(1);
        pool.execute(() -> { });
        pool.shutdown();
        pool.awaitTermination(30, TimeUnit.SECONDS);
    }
}
