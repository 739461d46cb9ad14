package dev.pythread.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;

/**
 * A text sink: {@code audit=jsonl:PATH} or {@code audit=stderr}. Each selected event becomes one
 * {@link AuditRecord} line, written to its {@link LineTarget} before the audited operation goes on.
 *
 * <ul>
 *   <li>Records are numbered and written under one lock (this sink's monitor), one write each: lines never
 *       interleave, and their order in the file is their {@code seq} order. {@code seq} counts written records
 *       only, so it is contiguous from 1; a sink with start details (a jsonl file, which other processes may have
 *       appended to before) begins with a {@code pythread.log.start} record, {@code seq} 1, written with the first
 *       event — not at start-up, so that a sink failing from the start fails the first audited operation under
 *       {@code onfail=deny}, not the JVM.</li>
 *   <li>A record raised <em>inside</em> this sink's own write, by the same thread, waits until that write is done
 *       and follows it. (On JDK 21+ a virtual thread blocking in file I/O can make the JDK start a carrier thread
 *       right there; that start's record would otherwise overtake the record being written.)</li>
 *   <li>A failed write is handled by {@link SinkFailures} ({@code onfail=}); when writing works again, a
 *       {@code pythread.log.dropped} record with the count of dropped records comes first.</li>
 *   <li>The lock is the monitor ({@code synchronized}), not a {@code ReentrantLock}, because a hook may have used
 *       up the stack (one that raises events from its own events without end): a {@code StackOverflowError} can
 *       leave {@code ReentrantLock.lock()} <em>after</em> the lock is taken (JEP 270's reserved stack completes the
 *       acquisition and throws when it returns), or hit {@code unlock()} before it releases — the lock stays held,
 *       by a thread that may even end, and every later audited operation of the JVM waits for it forever. The JVM
 *       releases a monitor on every way out of the block. (On JDK 21 to 23 a virtual thread waiting for a monitor
 *       pins its carrier; the wait is one record's write.)</li>
 * </ul>
 */
final class LineSink extends RecordingSink {

    private final LineTarget target;
    /** Guarded by this sink's monitor: the {@code seq} of the last record written. */
    private long seq;
    /** Guarded by this sink's monitor: the thread writing records now, or {@code null}. */
    private Thread writer;
    /** Guarded by this sink's monitor: records raised during this sink's own write. */
    private final ArrayDeque<Pending> deferred = new ArrayDeque<>();

    /** A record raised during this sink's own write, waiting for it to finish. */
    private record Pending(String event, Object caller, Object[] args, Instant time) {
    }

    /** The argument of the {@code pythread.log.start} record, or {@code null} for none. */
    private final Object startDetails;
    /** {@code chain=sha256}: seals each line before it is written; {@code null} for plain records. */
    private final RecordChain chain;

    /**
     * A sink of lines to {@code target}.
     *
     * @param startDetails the argument of the {@code pythread.log.start} record that begins the sink's records, or
     *                     {@code null} for none (stderr, which other output shares)
     * @param chain        seals each line ({@code chain=sha256}), or {@code null} for plain records
     */
    LineSink(SinkSettings settings, LineTarget target, Object startDetails, RecordChain chain) {
        super(settings);
        this.target = target;
        this.startDetails = startDetails;
        this.chain = chain;
    }

    /** {@code audit=stderr}: plain lines, no start record. */
    static LineSink toStderr(SinkSettings settings) {
        return new LineSink(settings, LineTarget.stderr(), null, null);
    }

    @Override
    void record(String event, Object[] args) {
        Instant now = Instant.now();
        Object caller = callerFor(event); // this thread's stack, now, outside the lock
        Thread current = Thread.currentThread();
        synchronized (this) {
            if (writer == current) {
                deferred.add(new Pending(event, caller, args, now));
                return;
            }
            writer = current;
            try {
                write(event, caller, args, now);
                for (Pending next = deferred.poll(); next != null; next = deferred.poll()) {
                    write(next.event(), next.caller(), next.args(), next.time());
                }
            } catch (RuntimeException denied) {
                deferred.clear(); // onfail=deny: the operation fails, and what it would have recorded with it
                throw denied;
            } finally {
                writer = null; // a field store: no call, so no stack overflow can skip it
            }
        }
    }

    /** Called by the {@link #writer}, holding this sink's monitor. */
    private void write(String event, Object caller, Object[] args, Instant time) {
        try {
            if (seq == 0 && startDetails != null) {
                writeLine(AgentEvents.LOG_START, AuditRecord.NO_CALLER, new Object[] {startDetails}, time);
            }
            long dropped = failures.dropped();
            if (dropped > 0) {
                writeLine(AgentEvents.LOG_DROPPED, AuditRecord.NO_CALLER, new Object[] {dropped}, time);
                failures.recovered(dropped);
            }
            writeLine(event, caller, args, time);
        } catch (IOException | RuntimeException | Error e) {
            failures.failed(event, e);
        }
    }

    private void writeLine(String event, Object caller, Object[] args, Instant time) throws IOException {
        String line = AuditRecord.line(seq + 1, time, event, caller, args);
        if (chain == null) {
            target.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        } else {
            RecordChain.Sealed sealed = chain.seal(line);
            target.write(sealed.bytes());
            chain.advance(sealed);
        }
        seq++;
    }
}
