package dev.pythread.agent;

import dev.pythread.Audit.AuditHook;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The sink {@code audit=stderr}: each selected event as one {@link AuditRecord} line on the process's standard
 * error (file descriptor 2, even if the application later replaces {@code System.err}).
 *
 * <p>A record is numbered and written under one lock, in one {@code write} call, before the audited operation
 * goes on: lines never interleave and their order is their {@code seq} order. A failed write is handled as
 * {@code onfail=} says: {@code warn} drops the record and counts it, {@code deny} throws, which vetoes the
 * audited operation.
 */
final class StderrSink implements AuditHook {

    private final EventFilter events;
    private final AgentOptions.OnFail onFail;
    private final OutputStream out = new FileOutputStream(FileDescriptor.err);
    private final ReentrantLock lock = new ReentrantLock();
    private long seq;
    private long dropped;

    StderrSink(EventFilter events, AgentOptions.OnFail onFail) {
        this.events = events;
        this.onFail = onFail;
    }

    @Override
    public void onEvent(String event, Object[] args) {
        if (!events.accepts(event)) {
            return;
        }
        lock.lock();
        try {
            String line = AuditRecord.line(++seq, Instant.now(), event, args) + "\n";
            out.write(line.getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            dropped++;
            if (onFail == AgentOptions.OnFail.DENY) {
                throw new IllegalStateException("pythread-agent: audit record of " + event
                        + " could not be written to stderr (onfail=deny): " + e.getMessage(), e);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Records lost to failed writes under {@code onfail=warn}. */
    long dropped() {
        lock.lock();
        try {
            return dropped;
        } finally {
            lock.unlock();
        }
    }
}
