package dev.pythread;

/**
 * Python's {@code SystemExit}: thrown by {@link PyThread#exit()} to end the current thread silently.
 *
 * <p>It extends {@link Error}, as {@code SystemExit} derives from {@code BaseException} and not from
 * {@code Exception} in Python, so a {@code catch (Exception e)} does not swallow it. A thread started by
 * {@link PyThread#startNewThread} (or any thread, under the agent) that ends with it ends silently: no
 * unraisable report, nothing printed.
 */
public class SystemExit extends Error {
    private static final long serialVersionUID = 1L;

    /** Python's exit code; {@code null} as for a bare {@code raise SystemExit}. */
    private final transient Object code;

    /** Python's {@code raise SystemExit}: the exit code is {@code None}. */
    public SystemExit() {
        this(null);
    }

    /**
     * Python's {@code raise SystemExit(code)}.
     *
     * @param code the exit code or message, as Python's {@code SystemExit.code}; may be {@code null}
     */
    public SystemExit(Object code) {
        super(code == null ? null : String.valueOf(code));
        this.code = code;
    }

    /**
     * Python's {@code SystemExit.code}.
     *
     * @return the code given to the constructor, or {@code null}
     */
    public Object code() {
        return code;
    }
}
