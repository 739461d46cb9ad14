package dev.pythread;

import java.util.Arrays;
import java.util.Objects;

/**
 * Python's audit hooks: {@code sys.audit} and {@code sys.addaudithook} (PEP 578).
 *
 * <p>Hooks are called in the order they were added, in the thread that raised the event. A hook that
 * throws aborts the audited operation: the exception propagates to the code that raised the event and the
 * hooks after it are not called. Hooks cannot be removed, as in Python.
 *
 * <p><b>Cost.</b> With no hook installed, {@link #audit} is one read of a field and allocates nothing. The
 * fixed-arity overloads ({@link #audit(String)} to {@link #audit(String, Object, Object, Object)}) exist
 * so that a call site does not even build its varargs array: the array is made only when a hook will see it.
 *
 * <p><b>A {@code null} event</b> is checked only when a hook is installed, then it throws
 * {@code NullPointerException("event")}: CPython 3.11 does the same — {@code sys.audit(None)} returns {@code None}
 * with no hook and raises {@code TypeError} with one — and the check stays out of the no-hook path.
 *
 * <p><b>Thread safety.</b> The hook list is an immutable array in a volatile field, replaced whole (copy on
 * write) under a lock that only {@link #addHook} takes, and never while it runs hooks: {@link #audit} never
 * blocks. (No {@code VarHandle} here on purpose: under the agent this class loads on the first thread start, and
 * a {@code VarHandle} would spin up {@code java.lang.invoke} there, tens of milliseconds of start-up.)
 */
public final class Audit {

    /**
     * Python's audit hook: a callable {@code hook(event, args)} registered with
     * {@code sys.addaudithook(hook)}.
     */
    @FunctionalInterface
    public interface AuditHook {
        /**
         * Called for every audit event raised in any thread, in the thread that raised it.
         *
         * @param event the event name, e.g. {@code "_thread.start_new_thread"}
         * @param args  the event's arguments (Python's args tuple); shared with the other hooks, so a hook
         *              must not modify it
         * @throws RuntimeException to abort the audited operation (unchecked exceptions and errors
         *                          propagate to the code that raised the event)
         */
        void onEvent(String event, Object[] args);
    }

    private static final AuditHook[] NO_HOOKS = {};
    private static final Object[] NO_ARGS = {};

    /** The installed hooks; never {@code null}, replaced whole (copy on write), never mutated. */
    private static volatile AuditHook[] hooks = NO_HOOKS;

    /** Serialises {@link #addHook}'s copy-on-write appends. */
    private static final Object APPEND_LOCK = new Object();

    private Audit() {
    }

    /**
     * Python's {@code sys.addaudithook(hook)}: adds a hook that sees every later audit event.
     *
     * <p>First raises the audit event {@code sys.addaudithook} (no arguments) to the hooks already
     * installed. If one of them throws a {@link ThreadError} (Python's {@code RuntimeError}), the new hook is
     * silently not added and this method returns {@code false}; any other exception propagates and the hook is
     * not added either.
     *
     * @param hook the hook to add
     * @return {@code true} if the hook was added, {@code false} if an existing hook vetoed it
     * @throws NullPointerException if {@code hook} is {@code null}
     */
    public static boolean addHook(AuditHook hook) {
        Objects.requireNonNull(hook, "hook");
        try {
            audit("sys.addaudithook");
        } catch (ThreadError vetoed) {
            return false;
        }
        synchronized (APPEND_LOCK) {
            AuditHook[] grown = Arrays.copyOf(hooks, hooks.length + 1);
            grown[grown.length - 1] = hook;
            hooks = grown;
        }
        return true;
    }

    /**
     * Python's {@code sys.audit(event)}: raises an audit event with no arguments.
     *
     * @param event the event name
     */
    public static void audit(String event) {
        AuditHook[] installed = hooks;
        if (installed.length != 0) {
            dispatch(installed, event, NO_ARGS);
        }
    }

    /**
     * Python's {@code sys.audit(event, arg)}.
     *
     * @param event the event name
     * @param arg   the only argument
     */
    public static void audit(String event, Object arg) {
        AuditHook[] installed = hooks;
        if (installed.length != 0) {
            dispatch(installed, event, new Object[] {arg});
        }
    }

    /**
     * Python's {@code sys.audit(event, arg1, arg2)}.
     *
     * @param event the event name
     * @param arg1  the first argument
     * @param arg2  the second argument
     */
    public static void audit(String event, Object arg1, Object arg2) {
        AuditHook[] installed = hooks;
        if (installed.length != 0) {
            dispatch(installed, event, new Object[] {arg1, arg2});
        }
    }

    /**
     * Python's {@code sys.audit(event, arg1, arg2, arg3)}.
     *
     * @param event the event name
     * @param arg1  the first argument
     * @param arg2  the second argument
     * @param arg3  the third argument
     */
    public static void audit(String event, Object arg1, Object arg2, Object arg3) {
        AuditHook[] installed = hooks;
        if (installed.length != 0) {
            dispatch(installed, event, new Object[] {arg1, arg2, arg3});
        }
    }

    /**
     * Python's {@code sys.audit(event, *args)}: calls every hook, in the order added, with the event and its
     * arguments. If a hook throws, the exception propagates to the caller, which must then not carry out the
     * audited operation, and the later hooks are not called.
     *
     * @param event the event name, e.g. {@code "_thread.start_new_thread"}
     * @param args  the event's arguments; {@code null} is taken as no arguments
     */
    public static void audit(String event, Object... args) {
        AuditHook[] installed = hooks;
        if (installed.length != 0) {
            dispatch(installed, event, args == null ? NO_ARGS : args);
        }
    }

    /**
     * Whether any hook is installed: what CPython checks before it builds an event's arguments. Lets a caller
     * skip work that only a hook would see.
     *
     * @return {@code true} once a hook has been added
     */
    public static boolean isActive() {
        return hooks.length != 0;
    }

    private static void dispatch(AuditHook[] installed, String event, Object[] args) {
        Objects.requireNonNull(event, "event");
        for (AuditHook hook : installed) {
            hook.onEvent(event, args);
        }
    }
}
