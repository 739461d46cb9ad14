package dev.pythread.it.apps.plugin;

import dev.pythread.it.apps.HostedPlugin;
import dev.pythread.it.apps.Out;
import dev.pythread.it.apps.PluginHost;
import dev.pythread.it.apps.PolicyApp;
import dev.pythread.it.apps.StartPaths;
import dev.pythread.Lock;
import dev.pythread.PyThread;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;

/**
 * "Plugin" code for the policy tests, every way a plugin gets a thread. {@link PolicyApp} uses it from the
 * application's class path; {@link PluginHost} loads it from {@code plugins/scanner.jar} with a loader of its own.
 */
public final class Scanner implements HostedPlugin {

    @Override
    public void act(String action) throws Exception {
        switch (action) {
            case "direct":
                startDirect();
                break;
            case "helper":
                startThroughHelper();
                break;
            case "pool":
                submitToHostPool();
                break;
            case "virtual":
                startVirtual();
                break;
            case "runAsync":
                runAsync();
                break;
            case "commonpool":
                submitToCommonPool();
                break;
            case "pythread":
                startThroughPyThread();
                break;
            case "posingworker":
                startPosingWorker();
                break;
            default:
                throw new IllegalArgumentException(action);
        }
    }

    private void startDirect() throws InterruptedException {
        Thread thread = new Thread(() -> Out.line("ran scan-direct"), "scan-direct");
        thread.start();
        thread.join();
    }

    /** Through the application's helper: the chain still holds this frame. */
    private void startThroughHelper() throws InterruptedException {
        PolicyApp.startWorker("scan-worker");
    }

    /** A task for the host's pool, which has no worker yet: the pool must start one on this stack. */
    private void submitToHostPool() throws Exception {
        PluginHost.POOL.submit(() -> Out.line("ran scan-pooled")).get();
    }

    /** A virtual thread (JDK 21+): checked like any other. */
    private void startVirtual() throws Exception {
        StartPaths.startNamedVirtual("plugin-virtual", () -> Out.line("ran plugin-virtual")).join();
    }

    /**
     * {@code CompletableFuture.runAsync}: the JVM-wide common pool (or, on JDK 17 where its parallelism is 1, the
     * thread per task that stands in for it), which the policy counts as JDK infrastructure.
     */
    private void runAsync() throws Exception {
        CompletableFuture.runAsync(() -> Out.line("ran scan-async")).get();
    }

    /**
     * {@code PyThread.startNewThread}: the thread's class is the API's own worker, defined by the bootstrap loader,
     * but what it runs is this plugin's code, so it is decided like any other start.
     */
    private void startThroughPyThread() {
        Lock ran = PyThread.allocateLock();
        ran.acquire(true, -1);
        PyThread.startNewThread(() -> {
            Out.line("ran scan-pythread");
            ran.release();
        });
        ran.acquire(true, -1);
    }

    /** A thread of the plugin's own class that names the common pool as its pool, to pass as one of its workers. */
    private void startPosingWorker() throws InterruptedException {
        Thread thread = new PosingWorker();
        thread.start();
        thread.join();
    }

    private static final class PosingWorker extends ForkJoinWorkerThread {
        PosingWorker() {
            super(ForkJoinPool.commonPool());
        }

        @Override
        public void run() {
            Out.line("ran scan-posing");
        }
    }

    /** A task on the common pool itself, whose workers are JDK infrastructure. */
    private void submitToCommonPool() throws Exception {
        ForkJoinPool.commonPool().submit(() -> Out.line("ran scan-common")).get();
    }
}
