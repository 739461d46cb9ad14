package dev.pythread.junit;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;

/**
 * Threads that outlive tests by design, and are never leaks whoever created them: the JDK's and JUnit's own.
 * <ul>
 *   <li>the common pool's workers ({@code ForkJoinPool.commonPool()}, parallel streams, {@code CompletableFuture});</li>
 *   <li>threads of a class in {@code jdk.internal}: {@code InnocuousThread} ({@code Cleaner}s, the process reaper and
 *       the virtual-thread unblocker on JDK 21+), virtual threads' carrier threads, {@code HttpClient}'s selector;</li>
 *   <li>threads of the {@code system} thread group: the JVM's own, such as {@code Attach Listener};</li>
 *   <li>JUnit's: a thread of a class in {@code org.junit} (its parallel executor's workers), a thread started by a
 *       class in {@code org.junit} ({@code @Timeout}'s watcher, {@code assertTimeoutPreemptively}'s thread), and,
 *       when who started it is not known, the thread JUnit names {@value #TIMEOUT_WATCHER}.</li>
 * </ul>
 * Threads the JDK starts for itself on the stack of application code (a poller on the first socket read of a virtual
 * thread) have no start record at all: see {@link StartFrame#ofCurrentStart()}.
 */
final class Infrastructure {

    /** The thread of JUnit's {@code @Timeout}, created by the first test with a timeout, closed after the run. */
    static final String TIMEOUT_WATCHER = "junit-jupiter-timeout-watcher";

    private Infrastructure() {
    }

    static boolean isInfrastructure(StartRecord record) {
        Thread thread = record.thread();
        if (thread instanceof ForkJoinWorkerThread
                && ((ForkJoinWorkerThread) thread).getPool() == ForkJoinPool.commonPool()) {
            return true;
        }
        String type = thread.getClass().getName();
        if (type.startsWith("jdk.internal.") || type.startsWith("org.junit.")) {
            return true;
        }
        ThreadGroup group = thread.getThreadGroup();
        if (group != null && group.getParent() == null) {
            return true;
        }
        if (record.frame() != null) {
            return record.frame().className().startsWith("org.junit.");
        }
        return thread.getName().equals(TIMEOUT_WATCHER);
    }
}
