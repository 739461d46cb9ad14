package dev.pythread.agent;

import dev.pythread.Unraisable.UnraisableHookArgs;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Label;
import jdk.jfr.Name;

/**
 * The sink {@code audit=jfr}: each selected event becomes a JFR event in any running recording
 * ({@code -XX:StartFlightRecording}, {@code jcmd PID JFR.start}); see them with
 * {@code jfr print --events pythread.AuditEvent,pythread.Unraisable rec.jfr}. JFR records the raising thread
 * ({@code eventThread}) and its stack.
 *
 * <p>Nothing happens until the Flight Recorder is initialised: no recording can exist before, and JFR's own start-up
 * threads (JDK 25 starts them while the recorder initialises) must not make an event class load into a half-built
 * recorder — that fails the JVM's start. Afterwards, when no recording is running, {@code isEnabled()} is false and an
 * event costs a field check: its arguments are not even rendered.
 */
final class JfrSink extends RecordingSink {

    /** An audit event, as JFR records it. */
    @Name("pythread.AuditEvent")
    @Label("Audit Event")
    @Category("pythread")
    @Description("An audit event raised through dev.pythread.Audit (e.g. _thread.start_new_thread)")
    static final class AuditJfrEvent extends Event {
        @Label("Event")
        String event;

        @Label("Arguments")
        @Description("The event's arguments as JSON")
        String arguments;

        @Label("Caller Class")
        @Description("For a thread start: the class of the nearest application frame that started it")
        String callerClass;

        @Label("Caller Method")
        String callerMethod;

        @Label("Caller Line")
        int callerLine;

        @Label("Caller Source")
        @Description("The jar or folder the caller's class comes from")
        String callerSource;
    }

    /** An unraisable report: how a thread died. */
    @Name("pythread.Unraisable")
    @Label("Unraisable Exception")
    @Category("pythread")
    @Description("An exception reported through sys.unraisablehook, e.g. a thread's uncaught exception")
    static final class UnraisableJfrEvent extends Event {
        @Label("Exception Type")
        String excType;

        @Label("Message")
        String message;

        @Label("Error Message")
        String errMsg;

        @Label("Object")
        @Description("What the exception is about: the dying thread, or a function")
        String object;
    }

    JfrSink(SinkSettings settings) {
        super(settings);
    }

    @Override
    void record(String event, Object[] args) {
        if (!FlightRecorder.isInitialized()) {
            return;
        }
        try {
            UnraisableHookArgs report = unraisableReport(args);
            if (report != null) {
                commitUnraisable(report);
            } else {
                commitAudit(event, args);
            }
        } catch (Throwable e) {
            failures.failed(event, e);
        }
    }

    private void commitAudit(String event, Object[] args) {
        AuditJfrEvent record = new AuditJfrEvent();
        if (record.isEnabled()) {
            record.event = event;
            StringBuilder json = new StringBuilder();
            Json.appendValue(json, args);
            record.arguments = json.toString();
            Object caller = callerFor(event);
            if (caller instanceof Caller) {
                Caller frame = (Caller) caller;
                record.callerClass = frame.className();
                record.callerMethod = frame.method();
                record.callerLine = frame.line();
                record.callerSource = frame.source();
            }
            record.commit();
        }
    }

    private static void commitUnraisable(UnraisableHookArgs report) {
        UnraisableJfrEvent record = new UnraisableJfrEvent();
        if (record.isEnabled()) {
            record.excType = report.excType() == null ? null : report.excType().getName();
            record.message = report.excValue() == null ? null : Json.safeMessage(report.excValue());
            record.errMsg = report.errMsg();
            record.object = Json.safeToString(report.object());
            record.commit();
        }
    }
}
