package dev.pythread.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One sink of the option {@code audit=}, typed: a named sink or a jsonl file. Its {@link #toString()} is its text in
 * the option, so that options render back as they were given.
 *
 * @param kind which sink
 * @param path the jsonl file's path as given ({@code %p} not yet replaced), {@code null} for the named sinks
 */
record AuditSink(Kind kind, String path) {

    /** The sinks there are. */
    enum Kind {
        /** One JSON line per record, appended to a file: {@code jsonl:PATH}. */
        JSONL,
        /** One JSON line per record on standard error. */
        STDERR,
        /** A JFR event per record, while a recording runs. */
        JFR,
        /** A {@code System.Logger} message per record. */
        LOGGER;

        String text() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** {@code jsonl:} */
    static final String JSONL_PREFIX = "jsonl:";

    static final AuditSink STDERR = new AuditSink(Kind.STDERR, null);
    static final AuditSink JFR = new AuditSink(Kind.JFR, null);
    static final AuditSink LOGGER = new AuditSink(Kind.LOGGER, null);

    /** Whether it writes lines ({@link LineSink}, {@link LoggerSink}) rather than JFR events. */
    boolean writesEveryRecord() {
        return kind != Kind.JFR;
    }

    /**
     * The sinks of {@code audit=VALUE}: several joined with {@code +}, each once.
     *
     * @throws AgentOptions.BadOption naming the sink that is unknown or given twice
     */
    static List<AuditSink> parseAll(String value) throws AgentOptions.BadOption {
        List<AuditSink> sinks = new ArrayList<>();
        for (String text : value.split("\\+", -1)) {
            AuditSink sink = parse(text);
            if (sinks.contains(sink)) {
                throw new AgentOptions.BadOption("option audit: sink '" + text + "' is given twice");
            }
            sinks.add(sink);
        }
        return List.copyOf(sinks);
    }

    private static AuditSink parse(String text) throws AgentOptions.BadOption {
        if (text.startsWith(JSONL_PREFIX) && text.length() > JSONL_PREFIX.length()) {
            return new AuditSink(Kind.JSONL, text.substring(JSONL_PREFIX.length()));
        }
        for (AuditSink named : List.of(STDERR, JFR, LOGGER)) {
            if (named.kind.text().equals(text)) {
                return named;
            }
        }
        throw new AgentOptions.BadOption("option audit: unknown sink '" + text + "'; "
                + AgentOption.AUDIT.allowed());
    }

    @Override
    public String toString() {
        return kind == Kind.JSONL ? JSONL_PREFIX + path : kind.text();
    }
}
