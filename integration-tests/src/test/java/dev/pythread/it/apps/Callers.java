package dev.pythread.it.apps;

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

    static void startThroughPool() throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(1);
        pool.execute(() -> { });
        pool.shutdown();
        pool.awaitTermination(30, TimeUnit.SECONDS);
    }
}
