package dev.pythread.junit;

/**
 * One thread a test (or class) left alive, as a {@linkplain Throwable#getSuppressed() suppressed} exception of its
 * {@link ThreadLeakError}: never thrown, it exists so that IDEs and Surefire print the thread's stack as it was when
 * the leak was found.
 *
 * <p>Its message describes the thread: {@code "worker-1" #31 (WAITING, daemon), created by
 * com.example.FooTest.leaks(), started at com.example.Pool.start(Pool.java:42) in /path/to/pool.jar} — its name, its
 * identifier ({@code Thread.getId()}), its state, {@code daemon} or {@code virtual} if it is, the test or class that
 * created it, and, when pythread-agent audited its start, the code that started it and the jar or folder that code
 * came from. Its stack trace is the thread's own stack, not the stack where this object was made.
 */
public final class LeakedThread extends Throwable {

    private static final long serialVersionUID = 1L;

    /** The line {@code pythread.junit.threadLeaks=warn} prints for it. */
    private final String warning;

    private LeakedThread(String head, String creator, String startedAt, StackTraceElement[] stack) {
        super(head + ", created by " + creator + startedAt, null, false, true);
        this.warning = "pythread-junit: warning: thread " + head + " leaked by " + creator + startedAt;
        setStackTrace(stack);
    }

    /**
     * The thread of {@code record} as it is now, or {@code null} if it has ended: its state and stack are taken
     * first, then whether it is still alive, so that a thread ending meanwhile is not reported.
     */
    static LeakedThread capture(StartRecord record) {
        Thread thread = record.thread();
        Thread.State state = thread.getState();
        StackTraceElement[] stack = thread.getStackTrace();
        if (state == Thread.State.TERMINATED || !thread.isAlive()) {
            return null;
        }
        String kind = LiveThreads.isVirtual(thread) ? ", virtual" : thread.isDaemon() ? ", daemon" : "";
        String head = "\"" + thread.getName() + "\" #" + LiveThreads.id(thread) + " (" + state + kind + ")";
        StartFrame frame = record.frame();
        String startedAt = frame == null ? ""
                : ", started at " + frame + (frame.source() == null ? "" : " in " + frame.source());
        return new LeakedThread(head, record.creator(), startedAt, stack);
    }

    String warning() {
        return warning;
    }

    /**
     * Does nothing: the stack trace is the leaked thread's, set when this is made.
     *
     * @return this
     */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
