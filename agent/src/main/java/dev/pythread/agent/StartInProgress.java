package dev.pythread.agent;

/**
 * The thread start this thread is auditing now, if any: whether it is raising a start's event — a start made by a
 * hook while it handles that event is not audited again, which could recurse without end (a hook that starts a thread
 * per start) — and the start's caller once looked for ({@link CallerFrame}).
 *
 * <p>One object per thread that starts threads, made on its first audited start and kept for the thread's life, so
 * that a start costs a {@link ThreadLocal} hit or two (a sink asks for the caller again), not a {@code set} and a
 * {@code remove} — an insertion into the thread's map and a removal from it — for each of its two facts.
 *
 * <p>{@link ThreadDispatch} ends a start by storing the two fields itself, in its {@code finally}: a field store is no
 * call, so a {@code StackOverflowError} (a hook that used up the stack) cannot skip it, where a call — the
 * {@code ThreadLocal.remove()} this replaces, or a method here — could, and leave the thread marked inside a start for
 * good, every later start of it unaudited.
 */
final class StartInProgress {

    private static final ThreadLocal<StartInProgress> OF_THREAD = ThreadLocal.withInitial(StartInProgress::new);

    /** Whether this thread is raising a start's event (or a policy's denial of one); see the class comment. */
    boolean raising;
    /**
     * The caller of the start being raised, as {@link CallerFrame} keeps it, or {@code null} outside a start's
     * event; see the class comment.
     */
    Object caller;

    private StartInProgress() {
    }

    /** This thread's. */
    static StartInProgress ofThisThread() {
        return OF_THREAD.get();
    }

    /** Marks this thread raising a start's event, with {@code caller} as {@link CallerFrame} keeps it. */
    void begin(Object startCaller) {
        raising = true;
        caller = startCaller;
    }
}
