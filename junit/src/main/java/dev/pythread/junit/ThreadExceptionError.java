package dev.pythread.junit;

import java.util.List;

/**
 * The failure {@link ThreadExceptionExtension} gives a test (or a test class) during which other threads died of
 * uncaught exceptions: pytest's {@code PytestUnhandledThreadExceptionWarning} turned into an error.
 *
 * <p>The message names each thread and its exception, e.g. {@code 2 exceptions in other threads during this test:
 * "worker-1" java.lang.IllegalStateException: boom; "worker-2" java.lang.IllegalStateException: bang}, in the order
 * the threads died. Each exception is {@linkplain #getSuppressed() suppressed} by this error, so that IDEs and
 * Surefire print the stack traces of the threads themselves.
 */
public final class ThreadExceptionError extends AssertionError {

    private static final long serialVersionUID = 1L;

    ThreadExceptionError(String during, List<DeadThread> dead) {
        super(message(during, dead));
        for (DeadThread deadThread : dead) {
            addSuppressed(deadThread.exception());
        }
    }

    /**
     * The message for {@code dead}, which must not be empty.
     *
     * @param during where they happened, e.g. {@code "this test"}
     */
    static String message(String during, List<DeadThread> dead) {
        StringBuilder text = new StringBuilder();
        text.append(dead.size()).append(dead.size() == 1 ? " exception in another thread during "
                : " exceptions in other threads during ").append(during).append(": ");
        for (int i = 0; i < dead.size(); i++) {
            if (i > 0) {
                text.append("; ");
            }
            text.append(dead.get(i).describe());
        }
        return text.toString();
    }
}
