package dev.pythread;

/**
 * Python's {@code _thread.error}, which is {@code RuntimeError} since Python 3.3: raised on
 * thread-specific errors, such as {@link Lock#release()} of an unlocked lock or a thread that cannot be
 * started.
 */
public class ThreadError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Python's {@code _thread.error(message)}.
     *
     * @param message the error message, word for word CPython's where CPython has one
     */
    public ThreadError(String message) {
        super(message);
    }

    /**
     * Python's {@code raise _thread.error(message) from cause}.
     *
     * @param message the error message
     * @param cause   the Java exception that made the operation fail
     */
    public ThreadError(String message, Throwable cause) {
        super(message, cause);
    }
}
