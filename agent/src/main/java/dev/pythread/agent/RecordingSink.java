package dev.pythread.agent;

import dev.pythread.Audit.AuditHook;
import dev.pythread.Unraisable.UnraisableHookArgs;

/**
 * What the three sinks ({@link LineSink}, {@link JfrSink}, {@link LoggerSink}) share: the events filter, the failure
 * policy ({@link SinkFailures}), the caller of a thread start, and how an unraisable report is told from other events.
 * A sink is an audit hook that records the events its filter accepts, each with {@link #record}.
 */
abstract class RecordingSink implements AuditHook {

    private final EventFilter events;
    private final boolean attributeCaller;
    /** What a failed record does: counts it and warns, or denies the operation ({@code onfail=}). */
    final SinkFailures failures;

    RecordingSink(SinkSettings settings) {
        this.events = settings.events();
        this.attributeCaller = settings.attributeCaller();
        this.failures = new SinkFailures(settings.name(), settings.onFail());
    }

    @Override
    public final void onEvent(String event, Object[] args) {
        if (events.accepts(event)) {
            record(event, args);
        }
    }

    /**
     * Records an event the filter accepted, in the thread that raised it, before the audited operation goes on; a
     * failure goes to {@link #failures}.
     */
    abstract void record(String event, Object[] args);

    /** The record's {@code caller}: see {@link AuditRecord#callerFor}. */
    final Object callerFor(String event) {
        return AuditRecord.callerFor(event, attributeCaller);
    }

    /** The report of a {@code sys.unraisablehook} event, whose arguments are {@code (hook, report)}, or {@code null}. */
    static UnraisableHookArgs unraisableReport(Object[] args) {
        return args.length == 2 && args[1] instanceof UnraisableHookArgs ? (UnraisableHookArgs) args[1] : null;
    }

    SinkFailures failures() {
        return failures;
    }
}
