package dev.pythread.junit;

import java.util.List;

/**
 * The failure {@link ThreadLeakExtension} gives a test (or a test class) that left threads it created alive.
 *
 * <p>The message names each thread, in the order they were created, as {@link LeakedThread} describes it, e.g.
 * {@code 2 threads leaked by this test: "worker-1" #31 (WAITING, daemon), created by com.example.FooTest.leaks(),
 * started at com.example.Pool.start(Pool.java:42) in /path/to/pool.jar; "Timer-0" #32 (WAITING), created by …}. A
 * class's failure says {@code leaked by this class}. Each thread is also a {@link LeakedThread}
 * {@linkplain #getSuppressed() suppressed} by this error, whose stack trace is the thread's current stack, so that
 * IDEs and Surefire print where each thread is stuck.
 */
public final class ThreadLeakError extends AssertionError {

    private static final long serialVersionUID = 1L;

    ThreadLeakError(String during, List<LeakedThread> leaked) {
        super(message(during, leaked));
        for (LeakedThread thread : leaked) {
            addSuppressed(thread);
        }
    }

    /**
     * The message for {@code leaked}, which must not be empty.
     *
     * @param during whose leaks they are, e.g. {@code "this test"}
     */
    static String message(String during, List<LeakedThread> leaked) {
        StringBuilder text = new StringBuilder();
        text.append(leaked.size()).append(leaked.size() == 1 ? " thread" : " threads").append(" leaked by ")
                .append(during).append(": ");
        for (int i = 0; i < leaked.size(); i++) {
            if (i > 0) {
                text.append("; ");
            }
            text.append(leaked.get(i).getMessage());
        }
        return text.toString();
    }
}
