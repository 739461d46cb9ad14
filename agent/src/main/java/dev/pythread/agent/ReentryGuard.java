package dev.pythread.agent;

/**
 * Whether this thread is inside some work already — raising a thread start's event, logging a record — so that the
 * same work raised again from within it (a hook that starts a thread, a logging backend that starts one) is told
 * apart instead of recursing without end. One per kind of work; {@link #enter()} and {@link #exit()} in the same
 * thread, the exit in a {@code finally}.
 *
 * <p>{@link LineSink} guards its write with a field under its monitor instead: there a plain field store in the
 * {@code finally} cannot be skipped by a stack overflow, where {@link ThreadLocal#remove()}, a call, could.
 */
final class ReentryGuard {

    private final ThreadLocal<Boolean> inside = new ThreadLocal<>();

    /** Whether this thread is inside the guarded work. */
    boolean isInside() {
        return inside.get() != null;
    }

    /** Marks this thread inside the guarded work. */
    void enter() {
        inside.set(Boolean.TRUE);
    }

    /** Marks this thread outside it again. */
    void exit() {
        inside.remove();
    }
}
