package dev.pythread.agent;

/**
 * What a sink does when it cannot record (option {@code onfail=}), shared by every sink.
 *
 * <ul>
 *   <li>{@code warn}: the record is dropped and counted; the first failure of a burst prints one line on stderr;
 *       once the sink works again, it records how many were dropped ({@link #dropped()}, {@link #recovered}).</li>
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
        boolean firstOfBurst;
        synchronized (this) {
            firstOfBurst = dropped == 0;
            dropped++;
            total++;
        }
        if (firstOfBurst) {
            AgentInstaller.warn("audit sink " + sink + " failed (" + cause + "); dropping and counting records "
                    + "until it works again (onfail=warn)");
        }
    }

    /** Records dropped since the sink last worked; 0 on the fast path. */
    long dropped() {
        return dropped;
    }

    /** The sink has written a record saying {@code count} records were dropped. */
    synchronized void recovered(long count) {
        dropped -= count;
    }

    /** Records dropped over the sink's life. */
    synchronized long totalDropped() {
        return total;
    }
}
