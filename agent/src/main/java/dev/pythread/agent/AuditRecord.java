package dev.pythread.agent;

import dev.pythread.PyThread;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * One audit record as a line of JSON, the format every text sink writes:
 * <pre>{"seq":1,"time":"2026-11-25T12:00:00.123456Z","pid":4242,"event":"_thread.start_new_thread",
 *  "thread":{"id":1,"name":"main"},"args":["Thread[#21,worker-1,5,main]",[],null]}</pre>
 * {@code seq} is the sink's record number, {@code time} ISO-8601 UTC with microseconds, {@code thread} the thread
 * that raised the event. A {@code _thread.start_new_thread} record also carries {@code caller} (see
 * {@link CallerFrame}), unless the option {@code caller=off}; it comes before {@code args}.
 */
final class AuditRecord {

    private static final DateTimeFormatter SECONDS_UTC = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.")
            .withZone(ZoneOffset.UTC);

    /** The formatted date and time of one second, {@code 2026-11-25T12:00:00.}, and which second it is. */
    private record Second(long epochSecond, String text) {
    }

    /**
     * The second of the last record: records come many to a second, so the date is formatted once per second and
     * only the microseconds per record. A plain volatile reference to an immutable pair: racing writers at a
     * second's turn each store a correct value.
     */
    private static volatile Second lastSecond = new Second(Long.MIN_VALUE, "");

    private static final long PID = ProcessHandle.current().pid();

    private AuditRecord() {
    }

    /** The {@code caller} field for a record of {@code event}: found only for thread starts, and only when wanted. */
    static Object callerFor(String event, boolean attribute) {
        return attribute && AgentEvents.START.equals(event) ? CallerFrame.ofCurrentStart() : NO_CALLER;
    }

    /** Sentinel for "this record has no {@code caller} field" (as opposed to a {@code null} caller). */
    static final Object NO_CALLER = new Object();

    /** ISO-8601 UTC with microseconds, truncated: {@code 2026-11-25T12:00:00.123456Z}. */
    private static void appendTime(StringBuilder out, Instant time) {
        long epochSecond = time.getEpochSecond();
        Second second = lastSecond;
        if (second.epochSecond() != epochSecond) {
            second = new Second(epochSecond, SECONDS_UTC.format(time));
            lastSecond = second;
        }
        out.append(second.text());
        int micros = time.getNano() / 1000;
        for (int unit = 100_000; unit > 0; unit /= 10) {
            out.append((char) ('0' + micros / unit % 10));
        }
        out.append('Z');
    }

    /** How every record's line begins: its {@code seq} comes first, then a comma. */
    static final String SEQ_FIELD = "{\"seq\":";

    /**
     * Where the field after {@code seq} begins in a record's {@code line}: after {@code {"seq":N,}}.
     *
     * @throws IllegalArgumentException if {@code line} is not a record's line
     */
    static int afterSeq(String line) {
        int comma = line.indexOf(',', SEQ_FIELD.length());
        if (!line.startsWith(SEQ_FIELD) || comma < 0) {
            throw new IllegalArgumentException("not a record: " + line);
        }
        return comma + 1;
    }

    /** The record's line, without the line feed, without a caller field. */
    static String line(long seq, Instant time, String event, Object[] args) {
        return line(seq, time, event, NO_CALLER, args);
    }

    /**
     * The record's line, without the line feed.
     *
     * @param caller the start's {@link Caller} (or {@code null}), or {@link #NO_CALLER} to leave the field out
     */
    static String line(long seq, Instant time, String event, Object caller, Object[] args) {
        Thread current = Thread.currentThread();
        StringBuilder out = new StringBuilder(160);
        out.append(SEQ_FIELD).append(seq)
                .append(",\"time\":\"");
        appendTime(out, time);
        out.append("\",\"pid\":").append(PID)
                .append(",\"event\":");
        Json.appendString(out, event);
        out.append(",\"thread\":{\"id\":").append(PyThread.getIdent())
                .append(",\"name\":");
        Json.appendString(out, current.getName());
        out.append('}');
        if (caller != NO_CALLER) {
            out.append(",\"caller\":");
            Json.appendValue(out, caller);
        }
        out.append(",\"args\":");
        Json.appendValue(out, args);
        return out.append('}').toString();
    }
}
