package dev.pythread;

/**
 * Python's {@code KeyboardInterrupt}: thrown in the main thread by {@link Signals#DEFAULT_INT_HANDLER}
 * when a simulated {@code SIGINT} ({@link PyThread#interruptMain()}) is handled.
 *
 * <p>It extends {@link Error}, as {@code KeyboardInterrupt} derives from {@code BaseException} and not
 * from {@code Exception} in Python, so a {@code catch (Exception e)} does not swallow it.
 */
public class KeyboardInterrupt extends Error {
    private static final long serialVersionUID = 1L;

    /** Python's {@code raise KeyboardInterrupt}. */
    public KeyboardInterrupt() {
        super();
    }

    /**
     * Python's {@code raise KeyboardInterrupt(message)}.
     *
     * @param message the message
     */
    public KeyboardInterrupt(String message) {
        super(message);
    }
}
