package dev.pythread.it.apps.plugin;

import dev.pythread.it.apps.PolicyApp;
import java.util.concurrent.ForkJoinPool;

/** "Plugin" code for the policy tests: it starts threads only through the application's helper. */
public final class Scanner {

    /** Starts a thread through {@link PolicyApp#startWorker}: the chain still holds this frame. */
    public void run() throws InterruptedException {
        PolicyApp.startWorker("scan-worker");
    }

    /**
     * A task on the common pool, whose workers are JDK infrastructure: allowed whatever the policy. (Not
     * {@code CompletableFuture.runAsync}: where the common pool's parallelism is 1 — 2 CPUs — the JDK runs each async
     * task on a new plain thread instead, which the policy checks like any other.)
     */
    public void runAsync() throws Exception {
        ForkJoinPool.commonPool().submit(() -> { }).get();
    }

    /** A virtual thread started by plugin code (JDK 21+): checked like any other. */
    public void startVirtual() throws Exception {
        dev.pythread.it.apps.StartPaths.startNamedVirtual("plugin-virtual", () -> { }).join();
    }
}
