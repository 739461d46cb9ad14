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
 * {@code jfr print --events 'pythread.*' rec.jfr}. JFR records the raising thread ({@code eventThread}) and its stack.
 *
 * <p><b>A thread start</b> is a {@code pythread.ThreadStart}: the started thread's name, id and class, no more. Who
 * started it is in the event's stack trace, which JFR takes natively at a fraction of the cost of a
 * {@link StackWalker} walk: the first frame below {@code java.lang.Thread.start} (or {@code VirtualThread.start}) that
 * is not the JDK's is the frame a jsonl record names as {@code caller}. So this sink walks no stack and renders no
 * JSON for a start, and {@code caller=} does not apply to it. Other events are {@code pythread.AuditEvent}s, their
 * arguments as JSON, and unraisable reports {@code pythread.Unraisable}s.
 *
 * <p>Nothing happens until the Flight Recorder is initialised: no recording can exist before, and JFR's own start-up
 * threads (JDK 25 starts them while the recorder initialises) must not make an event class load into a half-built
 * recorder — that fails the JVM's start. Afterwards, when no recording is running, {@code isEnabled()} is false and an
 * event costs a field check: its arguments are not even rendered.
 */
final class JfrSink extends RecordingSink {

    /** A thread start, as JFR records it; its stack trace says who started it. */
    @Name("pythread.ThreadStart")
    @Label("Thread Start (audited)")
    @Category("pythread")
    @Description("A thread start audited as _thread.start_new_thread, in the starting thread before the thread "
            + "exists; who started it is the stack trace's first frame below Thread.start that is not the JDK's")
    static final class ThreadStartJfrEvent extends Event {
        @Label("Thread Name")
        String threadName;

        @Label("Thread Id")
        @Description("Thread.getId() of the started thread")
        long threadId;

        @Label("Thread Class")
        Class<?> threadClass;
    }

    /** Any other audit event, as JFR records it. */
    @Name("pythread.AuditEvent")
    @Label("Audit Event")
    @Category("pythread")
    @Description("An audit event raised through dev.pythread.Audit, other than a thread start")
    static final class AuditJfrEvent extends Event {
        @Label("Event")
        String event;

        @Label("Arguments")
        @Description("The event's arguments as JSON")
        String arguments;
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
            } else if (AgentEvents.START.equals(event) && args.length > 0 && args[0] instanceof Thread) {
                commitStart((Thread) args[0]);
            } else {
                commitAudit(event, args);
            }
        } catch (Throwable e) {
            failures.failed(event, e);
        }
    }

    @SuppressWarnings("deprecation") // getId(): threadId() is JDK 19+, and the agent runs on 17
    private static void commitStart(Thread thread) {
        ThreadStartJfrEvent record = new ThreadStartJfrEvent();
        if (record.isEnabled()) {
            record.threadName = thread.getName();
            record.threadId = thread.getId();
            record.threadClass = thread.getClass();
            record.commit();
        }
    }

    private static void commitAudit(String event, Object[] args) {
        AuditJfrEvent record = new AuditJfrEvent();
        if (record.isEnabled()) {
            record.event = event;
            StringBuilder json = new StringBuilder();
            Json.appendValue(json, args);
            record.arguments = json.toString();
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
