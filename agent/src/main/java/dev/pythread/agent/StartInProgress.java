package dev.pythread.agent;

/**
 * The thread start this thread is auditing now, if any: whether it is raising a start's event — a start made by a
 * hook while it handles that event is not audited again, which could recurse without end (a hook that starts a thread
 * per start) — and the start's caller once looked for ({@link CallerFrame}).
 *
 * <p>One object per thread that starts threads, made on its first audited start and kept for the thread's life, so
 * that a start costs one {@link ThreadLocal} hit, not a {@code set} and a {@code remove} (an insertion into the
 * thread's map and a removal from it) for each of its two facts. And a start ends with plain field stores
 * ({@link #end()}), which no {@code StackOverflowError} can skip, where {@code ThreadLocal.remove()}, a call, could:
 * a hook that used up the stack must not leave its thread marked inside a start for good, every later start of the
 * thread unaudited.
 */
final class StartInProgress {

    private static final ThreadLocal<StartInProgress> OF_THREAD = ThreadLocal.withInitial(StartInProgress::new);

    /** Whether this thread is raising a start's event (or a policy's denial of one). */
    private boolean raising;
    /**
     * The caller of the start being raised, as {@link CallerFrame} keeps it, or {@code null} outside a start's
     * event.
     */
    private Object caller;

    private StartInProgress() {
    }

    /** This thread's. */
    static StartInProgress ofThisThread() {
        return OF_THREAD.get();
    }

    /** Whether this thread is raising a start's event already. */
    boolean raising() {
        return raising;
    }

    /** Marks this thread raising a start's event, with {@code caller} as {@link CallerFrame} keeps it. */
    void begin(Object startCaller) {
        raising = true;
        caller = startCaller;
    }

    /** Marks this thread raising a policy's denial, which has no caller to keep. */
    void beginDenial() {
        raising = true;
    }

    Object caller() {
        return caller;
    }

    void caller(Object startCaller) {
        caller = startCaller;
    }

    /** Marks the end of what {@link #begin} or {@link #beginDenial} began: field stores only, see the class comment. */
    void end() {
        caller = null;
        raising = false;
    }
}
