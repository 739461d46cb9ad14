package dev.pythread.agent;

import dev.pythread.Unraisable.UnraisableHookArgs;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * The sink {@code audit=jfr}: each selected event becomes a JFR event in any running recording
 * ({@code -XX:StartFlightRecording}, {@code jcmd PID JFR.start}); see them with
 * {@code jfr print --events 'pythread.*' rec.jfr}. JFR records the raising thread ({@code eventThread}).
 *
 * <p><b>A thread start</b> records only what JFR does not already know: the started thread's name, id and class, no
 * stack walk, no JSON, and no stack trace of its own where JFR takes one anyway. So {@code caller=} does not apply:
 * <ul>
 *   <li>A platform thread's start is a {@code pythread.ThreadStart} <em>without</em> a stack trace. The JVM records
 *       its own {@code jdk.ThreadStart} a moment later, with the starting thread's stack from {@code Thread.start}'s
 *       caller down (on in the JDK's {@code default} and {@code profile} settings), and its
 *       {@code thread.javaThreadId} is this event's {@code threadId}: the first frame of that stack that is not the
 *       JDK's is the frame a jsonl record names as {@code caller}. Taking the same stack a second time cost up to 2.5
 *       points of a start+join ({@code docs/performance.md}). A recording without {@code jdk.ThreadStart} that still
 *       wants the starter sets {@code pythread.ThreadStart#stackTrace=true} in its settings.</li>
 *   <li>A virtual thread's start (JDK 21+) is a {@code pythread.VirtualThreadStart} <em>with</em> its stack trace:
 *       JFR's own {@code jdk.VirtualThreadStart} is off in both of the JDK's settings.</li>
 * </ul>
 * Other events are {@code pythread.AuditEvent}s, their arguments as JSON, and unraisable reports
 * {@code pythread.Unraisable}s, each with JFR's stack trace.
 *
 * <p>Nothing happens until the Flight Recorder is initialised: no recording can exist before, and JFR's own start-up
 * threads (JDK 25 starts them while the recorder initialises) must not make an event class load into a half-built
 * recorder — that fails the JVM's start. Afterwards, when no recording is running, {@code isEnabled()} is false and an
 * event costs a field check: its arguments are not even rendered.
 */
final class JfrSink extends RecordingSink {

    /**
     * A platform thread's start, as JFR records it: no stack trace, {@code jdk.ThreadStart} has it (see the class
     * comment).
     */
    @Name("pythread.ThreadStart")
    @Label("Thread Start (audited)")
    @Category("pythread")
    @Description("A platform thread's start audited as _thread.start_new_thread, in the starting thread before the "
            + "thread exists. Who started it: the first frame that is not the JDK's in the stack trace of the "
            + "jdk.ThreadStart event whose thread has this threadId")
    @StackTrace(false)
    static final class ThreadStartJfrEvent extends Event {
        @Label("Thread Name")
        String threadName;

        @Label("Thread Id")
        @Description("Thread.getId() of the started thread: jdk.ThreadStart's thread.javaThreadId")
        long threadId;

        @Label("Thread Class")
        Class<?> threadClass;
    }

    /**
     * A virtual thread's start, as JFR records it: with its stack trace, since {@code jdk.VirtualThreadStart} is off in
     * the JDK's settings.
     */
    @Name("pythread.VirtualThreadStart")
    @Label("Virtual Thread Start (audited)")
    @Category("pythread")
    @Description("A virtual thread's start audited as _thread.start_new_thread, in the starting thread before the "
            + "thread exists. Who started it: the stack trace's first frame below VirtualThread.start that is not the "
            + "JDK's")
    static final class VirtualThreadStartJfrEvent extends Event {
        @Label("Thread Name")
        String threadName;

        @Label("Thread Id")
        @Description("Thread.threadId() of the started thread")
        long threadId;
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

    /** {@code java.lang.VirtualThread} (JDK 21+), or {@code null}: the class every virtual thread has. */
    private static final Class<?> VIRTUAL_THREAD = virtualThreadClass();

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

    private static Class<?> virtualThreadClass() {
        try {
            return Class.forName("java.lang.VirtualThread", false, null);
        } catch (ClassNotFoundException jdk17) {
            return null;
        }
    }

    @SuppressWarnings("deprecation") // getId(): threadId() is JDK 19+, and the agent runs on 17
    private static void commitStart(Thread thread) {
        if (thread.getClass() == VIRTUAL_THREAD) {
            commitVirtualStart(thread);
            return;
        }
        ThreadStartJfrEvent record = new ThreadStartJfrEvent();
        if (record.isEnabled()) {
            record.threadName = thread.getName();
            record.threadId = thread.getId();
            record.threadClass = thread.getClass();
            record.commit();
        }
    }

    @SuppressWarnings("deprecation") // getId(): threadId() is JDK 19+, and the agent runs on 17
    private static void commitVirtualStart(Thread thread) {
        VirtualThreadStartJfrEvent record = new VirtualThreadStartJfrEvent();
        if (record.isEnabled()) {
            record.threadName = thread.getName();
            record.threadId = thread.getId();
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
