package dev.pythread.agent;

/**
 * What a sink does when it cannot record (option {@code onfail=}), shared by every sink.
 *
 * <ul>
 *   <li>{@code warn}: the record is dropped and counted; the first failure of a burst prints one line on stderr;
 *       once the sink works again, it records how many were dropped ({@link #dropped()}, {@link #recovered}).
 *       Printing the line can fail too — a hook that recursed until the stack overflowed leaves the sink too little
 *       stack to print, and then the record is dropped but the line is not printed: the line stays due, and the
 *       burst's next failure or its recovery prints it, so that no burst goes without its line.</li>
 *   <li>{@code deny}: {@link #failed} throws, which makes the audited operation fail (e.g. {@code Thread.start()}
 *       throws) rather than run unaudited.</li>
 * </ul>
 */
final class SinkFailures {

    private final String sink;
    private final AgentOptions.OnFail onFail;
    /** Records dropped since the last successful write. Written under this object's lock; read without. */
    private volatile long dropped;
    private long total;
    /** Guarded by this object's lock: the first failure of a burst whose stderr line is not printed yet, or null. */
    private Throwable unwarned;

    SinkFailures(String sink, AgentOptions.OnFail onFail) {
        this.sink = sink;
        this.onFail = onFail;
    }

    /**
     * A record of {@code event} could not be written.
     *
     * @throws IllegalStateException under {@code onfail=deny}: the audited operation must not go on
     */
    void failed(String event, Throwable cause) {
        if (onFail == AgentOptions.OnFail.DENY) {
            throw new IllegalStateException("pythread-agent: audit sink " + sink + " cannot record " + event
                    + " (" + cause + "), so the operation is denied (onfail=deny)", cause);
        }
        synchronized (this) {
            if (dropped == 0) {
                unwarned = cause;
            }
            dropped++;
            total++;
        }
        warnIfDue();
    }

    /**
     * Prints the line of the burst if it is still due. The message is built with a plain {@code StringBuilder}: the
     * first string concatenation through {@code invokedynamic} would bootstrap {@code java.lang.invoke}, which takes
     * far more stack than a sink that has just failed on a stack overflow has left.
     */
    private void warnIfDue() {
        Throwable cause;
        synchronized (this) {
            cause = unwarned;
            unwarned = null;
        }
        if (cause == null) {
            return;
        }
        try {
            AgentInstaller.warn(new StringBuilder("audit sink ").append(sink).append(" failed (").append(cause)
                    .append("); dropping and counting records until it works again (onfail=warn)").toString());
        } catch (Throwable notPrinted) {
            synchronized (this) {
                if (unwarned == null) {
                    unwarned = cause; // the next failure or the recovery tries again
                }
            }
        }
    }

    /** Records dropped since the sink last worked; 0 on the fast path. */
    long dropped() {
        return dropped;
    }

    /** The sink has written a record saying {@code count} records were dropped; a line still due is printed now. */
    void recovered(long count) {
        synchronized (this) {
            dropped -= count; // first: the dropped record is written, so its count must not be written again
        }
        warnIfDue();
    }

    /** Records dropped over the sink's life. */
    synchronized long totalDropped() {
        return total;
    }
}
