package dev.pythread;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Keeps a concurrency test from hanging the build: if the test is still running after its limit, the watchdog prints
 * every thread's stack to stderr and ends the test JVM. A pythread {@code Lock} waiter ignores interrupts, as
 * specified, so a timeout that only interrupts could never free a deadlocked test.
 */
final class Watchdog implements AutoCloseable {

    private final Thread thread;

    private Watchdog(String test, long limitSeconds) {
        thread = new Thread(() -> {
            try {
                TimeUnit.SECONDS.sleep(limitSeconds);
            } catch (InterruptedException finished) {
                return;
            }
            StringBuilder dump = new StringBuilder("WATCHDOG: " + test + " still running after " + limitSeconds
                    + " s: deadlock or lost wake-up. Threads:\n");
            for (Map.Entry<Thread, StackTraceElement[]> entry : Thread.getAllStackTraces().entrySet()) {
                dump.append('"').append(entry.getKey().getName()).append("\" ").append(entry.getKey().getState())
                        .append('\n');
                for (StackTraceElement frame : entry.getValue()) {
                    dump.append("    at ").append(frame).append('\n');
                }
            }
            System.err.print(dump);
            System.err.flush();
            Runtime.getRuntime().halt(3);
        }, "watchdog");
        thread.setDaemon(true);
        thread.start();
    }

    /** Arms a watchdog for {@code test}; close it when the test is done. */
    static Watchdog arm(String test, long limitSeconds) {
        return new Watchdog(test, limitSeconds);
    }

    @Override
    public void close() {
        thread.interrupt();
    }
}
