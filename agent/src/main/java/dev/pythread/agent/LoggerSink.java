package dev.pythread.agent;

import dev.pythread.Audit.AuditHook;
import dev.pythread.Unraisable.UnraisableHookArgs;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The sink {@code audit=logger}: each selected event is logged to the {@code System.Logger} named
 * {@code dev.pythread.audit} — so java.util.logging, or SLF4J/Log4j through their {@code System.LoggerFinder}
 * bridges, receive it — at level INFO, and unraisable reports at WARNING with the exception attached. The message is
 * the record's JSON line.
 *
 * <p>The logger is looked up on the first record, not at start-up: looking it up in {@code premain} would initialise
 * the logging framework before the application's {@code main} could configure it.
 */
final class LoggerSink implements AuditHook {

    static final String LOGGER_NAME = "dev.pythread.audit";

    private final EventFilter events;
    private final SinkFailures failures;
    private final AtomicLong seq = new AtomicLong();
    private volatile System.Logger logger;

    LoggerSink(EventFilter events, AgentOptions.OnFail onFail) {
        this.events = events;
        this.failures = new SinkFailures("logger", onFail);
    }

    @Override
    public void onEvent(String event, Object[] args) {
        if (!events.accepts(event)) {
            return;
        }
        try {
            String line = AuditRecord.line(seq.incrementAndGet(), Instant.now(), event, args);
            if (args.length == 2 && args[1] instanceof UnraisableHookArgs) {
                logger().log(System.Logger.Level.WARNING, line, ((UnraisableHookArgs) args[1]).excValue());
            } else {
                logger().log(System.Logger.Level.INFO, line);
            }
        } catch (RuntimeException e) {
            failures.failed(event, e);
        }
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
