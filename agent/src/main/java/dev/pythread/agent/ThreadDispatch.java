package dev.pythread.agent;

import dev.pythread.Audit;
import dev.pythread.SystemExit;
import dev.pythread.Unraisable;
import dev.pythread.Unraisable.UnraisableHook;
import dev.pythread.Unraisable.UnraisableHookArgs;

/**
 * What the instrumented JDK calls (see {@link ThreadTransformer}): the second hop of
 * {@code Thread.start} → here → {@link Audit#audit} → hooks and sinks.
 *
 * <p>It is public because {@code java.lang.Thread} calls it; it lives in the bootstrap loader (the agent jar is
 * on the {@code Boot-Class-Path}) so that {@code java.base} can see it. It is not an API.
 */
public final class ThreadDispatch {

    /** As {@code Unraisable.report} writes an audit hook's failure; see {@link #onUncaught}. */
    private static final String AUDIT_FAILED = "Exception ignored in audit hook";

    private static final Object[] NO_ARGS = {};

    /** {@code PyThread.startNewThread}'s threads: their start has raised the event already, with Python's args. */
    private static final Class<?> PY_THREAD_WORKER = loadWorkerClass();

    /** The thread policy ({@code policy=}), or {@code null}: set once, by the installer. */
    private static volatile ThreadPolicy policy;

    /** Whether a sink records the caller of every start ({@link AuditSinks#recordEveryStartCaller}): set once. */
    private static volatile boolean findCallerFirst;

    /** Who started each live thread ({@code inventory=on}, the default), or {@code null}: set once. */
    private static volatile LiveThreads liveThreads;

    private ThreadDispatch() {
    }

    /** The thread policy, or {@code null}: for {@link GuardDispatch}, which decides shutdown hooks and agents. */
    static ThreadPolicy policy() {
        return policy;
    }

    /** The inventory of live threads' starters, or {@code null} under {@code inventory=off}. */
    static LiveThreads liveThreads() {
        return liveThreads;
    }

    static void install(ThreadPolicy threadPolicy, boolean callerOfEveryStart, LiveThreads inventory) {
        policy = threadPolicy;
        findCallerFirst = callerOfEveryStart;
        liveThreads = inventory;
    }

    private static Class<?> loadWorkerClass() {
        try {
            return Class.forName("dev.pythread.PyThread$Worker", false, ThreadDispatch.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * Called first thing in every {@code start} of a thread: raises {@code _thread.start_new_thread} with
     * {@code (thread, (), None)}, in the starting thread, before the thread exists. A hook's exception propagates
     * out of {@code start()}: the veto. In order: the thread policy decides; the event is raised; the start is added
     * to the inventory of live threads ({@link LiveThreads}), with the frame a sink found if one asked.
     *
     * @param thread the thread being started
     * @param state  its state as the JDK's own {@code Thread.getState()} says, never a subclass's override (see
     *               {@link ThreadTransformer}): only a {@code NEW} thread starts
     * @param task   the {@code Runnable} the thread was given, read from the JDK's own field ({@code null} for none,
     *               and for a virtual thread, whose task only its continuation holds): the thread policy decides it
     */
    public static void onStart(Thread thread, Thread.State state, Runnable task) {
        ThreadPolicy threadPolicy = policy;
        LiveThreads inventory = liveThreads;
        if (!Audit.isActive() && threadPolicy == null && inventory == null || thread.getClass() == AgentThread.class) {
            return;
        }
        if (state != Thread.State.NEW) {
            return; // start() is about to throw IllegalThreadStateException: nothing starts, nothing to audit
        }
        if (threadPolicy != null) {
            enforce(threadPolicy, thread, threadPolicy.check(thread, task));
        }
        if (!Audit.isActive() || thread.getClass() == PY_THREAD_WORKER) {
            recordUnaudited(inventory, thread);
            return;
        }
        StartInProgress start = StartInProgress.ofThisThread();
        if (start.raising) {
            recordUnaudited(inventory, thread); // started by a hook while it handles a start: not audited again
            return;
        }
        CallerFrame.beginStart(start, findCallerFirst);
        try {
            Audit.audit(AgentEvents.START, thread, NO_ARGS, null);
            if (inventory != null) {
                // After the hooks, which may veto the start; with the caller a sink found, if one asked.
                if (CallerFrame.foundFor(start)) {
                    inventory.recordStart(thread, CallerFrame.of(start));
                } else {
                    inventory.recordStart(thread);
                }
            }
        } finally {
            start.caller = null; // field stores, no call: see StartInProgress
            start.raising = false;
        }
    }

    private static void recordUnaudited(LiveThreads inventory, Thread thread) {
        if (inventory != null) {
            inventory.recordStart(thread);
        }
    }

    /**
     * The thread policy decides, before the start is audited: a denied start raises {@code pythread.policy.deny}
     * with {@code (thread, mode, rule, frame)} and, under {@code mode enforce}, fails with a
     * {@code SecurityException}. A start made by a hook while it handles a start is still decided, but raises no
     * event (that could recurse without end).
     */
    static void enforce(ThreadPolicy threadPolicy, Thread thread, ThreadPolicy.Denial denial) {
        if (denial == null) {
            return;
        }
        StartInProgress start = StartInProgress.ofThisThread();
        if (!start.raising) {
            start.raising = true;
            try {
                AgentEvents.raisePolicyDeny(threadPolicy, thread, denial.rule(), denial.frame());
            } finally {
                start.raising = false; // a field store, no call: see StartInProgress
            }
        }
        if (threadPolicy.mode() == ThreadPolicy.Mode.ENFORCE) {
            throw threadPolicy.exception(denial);
        }
    }

    /**
     * The body of {@code Thread.dispatchUncaughtException}: every uncaught exception of every thread, platform or
     * virtual, once. {@link SystemExit} ends the thread silently. Otherwise the exception goes to the unraisable
     * hook with errMsg {@code "Exception ignored in thread started by"} and the thread as object.
     *
     * <p>Under the default hook ({@link JvmChainHook}) this is exactly the JDK's own behaviour, after the audit
     * event {@code sys.unraisablehook}: the thread's handler is called here, outside {@link Unraisable#report},
     * so that an exception thrown by the handler reaches the VM, which prints it as it always did.
     *
     * @param thread the dying thread
     * @param exc    its uncaught exception
     */
    public static void onUncaught(Thread thread, Throwable exc) {
        if (exc instanceof SystemExit) {
            return;
        }
        UnraisableHook hook = Unraisable.getHook();
        if (hook != JvmChainHook.INSTANCE) {
            Unraisable.report(exc, Unraisable.THREAD_EXCEPTION_MESSAGE, thread);
            return;
        }
        if (Audit.isActive()) {
            UnraisableHookArgs args = UnraisableHookArgs.of(exc, Unraisable.THREAD_EXCEPTION_MESSAGE, thread);
            try {
                Audit.audit(AgentEvents.UNRAISABLE, hook, args);
            } catch (Throwable auditFailure) {
                // As Unraisable.report does: the hook is not called, and neither exception is lost.
                Unraisable.DEFAULT_HOOK.handle(args);
                Unraisable.DEFAULT_HOOK.handle(UnraisableHookArgs.of(auditFailure, AUDIT_FAILED, null));
                return;
            }
        }
        JvmChainHook.handToJvm(thread, exc);
    }
}
