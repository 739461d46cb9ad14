package dev.pythread.agent;

import dev.pythread.Unraisable.UnraisableHookArgs;
import java.time.Instant;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The sink {@code audit=logger}: each selected event is logged to the {@code System.Logger} named
 * {@code dev.pythread.audit} — so java.util.logging, or SLF4J/Log4j through their {@code System.LoggerFinder}
 * bridges, receive it — at level INFO, and unraisable reports at WARNING with the exception attached. The message is
 * the record's JSON line.
 *
 * <p><b>When it logs.</b> The logger is looked up on the first record, not at start-up, which would initialise the
 * logging framework before the application's {@code main} could configure it. Until the backend has logged once, a
 * record raised inside a class initialiser is queued instead: the JDK starts some of its threads inside its own
 * initialisers (JDK 25's {@code Common-Cleaner} inside {@code CleanerFactory.<clinit>}, while the main class loads),
 * and initialising a logging backend there re-enters the half-initialised class and breaks logging for the whole
 * process. A record raised while a Java agent's {@code premain} (or {@code agentmain}) runs is queued as well, until
 * the backend has logged once: an agent later on the command line may install a bridge on the logging backend —
 * OpenTelemetry's Java agent instruments {@code java.util.logging.Logger} to turn each record into an OTLP log record
 * — and the threads it starts in its own {@code premain} (measured with OpenTelemetry 2.22.0: {@code weak-ref-cleaner},
 * {@code BatchLogRecordProcessor_WorkerThread-1}) are raised before that bridge exists; logged at once, their records
 * would never reach it. A record raised while this sink is itself logging (a backend that starts a thread) is queued
 * too. Queued records go out, in order, before the next record that can be logged, or at the latest when the JVM
 * shuts down.
 *
 * <p><b>What a bridge receives.</b> One call of {@code System.Logger.log} per record, its message the JSON line with
 * no parameters (so no {@code MessageFormat} step touches it) — the line the JSONL sink writes for the same event,
 * but for {@code seq}, which counts this sink's records, and {@code time} — so that whatever ships the message as a
 * log body ships the event name, the thread and the caller with it, parseable by any backend. Unraisable reports
 * carry their exception too.
 */
final class LoggerSink extends RecordingSink {

    static final String LOGGER_NAME = "dev.pythread.audit";

    private static final ReentryGuard LOGGING = new ReentryGuard();
    private static final StackWalker WALKER = StackWalker.getInstance();
    /** The JDK class whose methods call every agent's {@code premain} and {@code agentmain}. */
    private static final String AGENT_LOADER = "sun.instrument.InstrumentationImpl";

    private final AtomicLong seq = new AtomicLong();
    private final ConcurrentLinkedQueue<Pending> queued = new ConcurrentLinkedQueue<>();
    private volatile System.Logger logger;
    /** Set once a record has been logged: the backend is initialised, queueing is no longer needed. */
    private volatile boolean backendReady;

    /** A record on its way to the logger: its event, its JSON line, and the exception of an unraisable report. */
    private record Pending(String event, String line, Throwable thrown) {
    }

    LoggerSink(SinkSettings settings) {
        super(settings);
        Runtime.getRuntime().addShutdownHook(new AgentThread(this::flushAtExit, "logger flush"));
    }

    @Override
    void record(String event, Object[] args) {
        UnraisableHookArgs report = unraisableReport(args);
        Throwable thrown = report == null ? null : report.excValue();
        Pending record;
        try {
            record = new Pending(event, AuditRecord.line(seq.incrementAndGet(), Instant.now(), event,
                    callerFor(event), args), thrown);
        } catch (Throwable e) {
            failures.failed(event, e);
            return;
        }
        if (LOGGING.isInside() || !backendReady && tooEarlyToLog()) {
            queued.add(record);
            return;
        }
        LOGGING.enter();
        try {
            for (Pending earlier = queued.poll(); earlier != null; earlier = queued.poll()) {
                log(earlier);
            }
            log(record);
        } finally {
            LOGGING.exit();
        }
    }

    private void log(Pending record) {
        try {
            if (record.thrown() != null) {
                logger().log(System.Logger.Level.WARNING, record.line(), record.thrown());
            } else {
                logger().log(System.Logger.Level.INFO, record.line());
            }
            backendReady = true;
        } catch (Throwable e) {
            failures.failed(record.event(), e);
        }
    }

    private void flushAtExit() {
        LOGGING.enter(); // for good: the JVM is ending, and a record raised while this flushes waits for no one
        for (Pending earlier = queued.poll(); earlier != null; earlier = queued.poll()) {
            log(earlier);
        }
    }

    /** Inside a class initialiser, or inside a Java agent's {@code premain}/{@code agentmain}. */
    private static boolean tooEarlyToLog() {
        return WALKER.walk(frames -> frames.anyMatch(frame -> frame.getMethodName().equals("<clinit>")
                || frame.getClassName().equals(AGENT_LOADER)));
    }

    private System.Logger logger() {
        System.Logger current = logger;
        if (current == null) {
            current = System.getLogger(LOGGER_NAME);
            logger = current;
        }
        return current;
    }
}
