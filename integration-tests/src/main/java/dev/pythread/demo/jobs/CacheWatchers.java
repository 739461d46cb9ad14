package dev.pythread.demo.jobs;

/**
 * The demo server's "cache watchers": a thread leak of the kind a service accumulates, one thread per request that
 * asks for a watch, each polling for ever and never stopped. {@code java -jar pythread-agent.jar PID threads} names
 * this class and line as where they came from.
 */
public final class CacheWatchers {

    private CacheWatchers() {
    }

    /** Starts watcher {@code watcher} on a new daemon thread named {@code cache-watcher-N}, which never ends. */
    public static void start(int watcher) {
        Thread thread = new Thread(CacheWatchers::pollForever, "cache-watcher-" + watcher);
        thread.setDaemon(true);
        thread.start();
    }

    private static void pollForever() {
        while (true) {
            try {
                Thread.sleep(1_000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
