package dev.pythread;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Objects;

/**
 * Python's {@code sys.unraisablehook}: where exceptions go that nobody can catch, such as the uncaught
 * exception of a thread started by {@link PyThread#startNewThread}.
 *
 * <p>{@link #report} raises the audit event {@code sys.unraisablehook} with {@code (hook, args)}, then calls
 * the installed hook. It never throws and never recurses:
 * <ul>
 *   <li>a hook that throws has its exception written by {@link #DEFAULT_HOOK} with the message
 *       {@code "Exception ignored in sys.unraisablehook"} and the failing hook as object, as CPython does;</li>
 *   <li>a {@code report} made from inside a hook (by the same thread) goes straight to {@link #DEFAULT_HOOK};</li>
 *   <li>an audit hook that throws on {@code sys.unraisablehook} keeps the installed hook from being called,
 *       as in CPython; unlike CPython, which then drops the report silently, both the original exception and
 *       the audit hook's exception are written by {@link #DEFAULT_HOOK}, so that nothing is lost.</li>
 * </ul>
 */
public final class Unraisable {

    /**
     * Python's {@code sys.UnraisableHookArgs}.
     *
     * @param excType      the exception's class ({@code exc_type})
     * @param excValue     the exception ({@code exc_value})
     * @param excTraceback the exception's stack trace ({@code exc_traceback})
     * @param errMsg       the message that introduces the report ({@code err_msg}), e.g.
     *                     {@code "Exception ignored in thread started by"}; may be {@code null}
     * @param object       the object the exception is about ({@code object}), e.g. the thread's function;
     *                     may be {@code null}
     */
    public record UnraisableHookArgs(Class<? extends Throwable> excType, Throwable excValue,
                                     StackTraceElement[] excTraceback, String errMsg, Object object) {

        /**
         * The report of {@code exc}, as CPython builds it for {@code sys.unraisablehook}: its type, the exception and
         * its traceback, taken from the exception itself.
         *
         * @param exc    the exception; must not be {@code null}
         * @param errMsg the message that introduces the report; may be {@code null}
         * @param object what the exception is about; may be {@code null}
         * @return the report
         * @throws NullPointerException if {@code exc} is {@code null}
         */
        public static UnraisableHookArgs of(Throwable exc, String errMsg, Object object) {
            return new UnraisableHookArgs(exc.getClass(), exc, exc.getStackTrace(), errMsg, object);
        }
    }

    /** Python's unraisable hook: a callable {@code hook(unraisable)} set as {@code sys.unraisablehook}. */
    @FunctionalInterface
    public interface UnraisableHook {
        /**
         * Handles one unraisable exception.
         *
         * @param args what happened; never {@code null}
         */
        void handle(UnraisableHookArgs args);
    }

    /**
     * The errMsg of the report of a thread's uncaught exception, CPython's (its {@code thread_run}): what
     * {@link PyThread#startNewThread} threads report, and, under the agent, every thread. A hook can tell a thread's
     * death by it.
     */
    public static final String THREAD_EXCEPTION_MESSAGE = "Exception ignored in thread started by";

    /** The message CPython uses when {@code sys.unraisablehook} itself fails. */
    static final String HOOK_FAILED = "Exception ignored in sys.unraisablehook";

    /** The message used when an audit hook rejects the {@code sys.unraisablehook} event. */
    static final String AUDIT_FAILED = "Exception ignored in audit hook";

    /**
     * Python's {@code sys.__unraisablehook__}: writes to {@link System#err} the line {@code <errMsg>: <object>}
     * (just {@code <errMsg>} when object is {@code null}, {@code "Exception ignored in"} when errMsg is
     * {@code null}), then the exception's Java stack trace as {@link Throwable#printStackTrace()} prints it.
     * A report is written with one {@code print} call, so concurrent reports do not interleave. If
     * {@code toString()} of the object fails, {@code <object repr() failed>} stands in its place, as in CPython.
     */
    public static final UnraisableHook DEFAULT_HOOK = new DefaultHook();

    private static volatile UnraisableHook hook = DEFAULT_HOOK;

    /** Set while this thread runs a hook, so that a report from inside a hook cannot recurse. */
    private static final ThreadLocal<Boolean> IN_HOOK = new ThreadLocal<>();

    private Unraisable() {
    }

    /**
     * Python's {@code sys.unraisablehook}.
     *
     * @return the installed hook, {@link #DEFAULT_HOOK} unless {@link #setHook} changed it
     */
    public static UnraisableHook getHook() {
        return hook;
    }

    /**
     * Python's {@code sys.unraisablehook = hook}.
     *
     * @param newHook the hook to install; {@code null} restores {@link #DEFAULT_HOOK}
     */
    public static void setHook(UnraisableHook newHook) {
        hook = newHook == null ? DEFAULT_HOOK : newHook;
    }

    /**
     * Python's {@code PyErr_WriteUnraisable}: reports an exception that cannot be raised to anyone. Raises the
     * audit event {@code sys.unraisablehook} with {@code (hook, args)}, then calls the installed hook. Never
     * throws (see the class comment for what happens when a hook fails).
     *
     * @param exc    the exception; must not be {@code null}
     * @param errMsg the message that introduces the report, e.g. {@code "Exception ignored in thread started
     *               by"}; may be {@code null}
     * @param object the object the exception is about; may be {@code null}
     * @throws NullPointerException if {@code exc} is {@code null} (a programming error, not an unraisable)
     */
    public static void report(Throwable exc, String errMsg, Object object) {
        Objects.requireNonNull(exc, "exc");
        UnraisableHookArgs args = UnraisableHookArgs.of(exc, errMsg, object);
        if (IN_HOOK.get() != null) {
            writeQuietly(args);
            return;
        }
        IN_HOOK.set(Boolean.TRUE);
        try {
            UnraisableHook installed = hook;
            try {
                Audit.audit("sys.unraisablehook", installed, args);
            } catch (Throwable auditFailure) {
                writeQuietly(args);
                writeQuietly(UnraisableHookArgs.of(auditFailure, AUDIT_FAILED, null));
                return;
            }
            try {
                installed.handle(args);
            } catch (Throwable hookFailure) {
                writeQuietly(UnraisableHookArgs.of(hookFailure, HOOK_FAILED, installed));
            }
        } finally {
            IN_HOOK.remove();
        }
    }

    /** {@link #DEFAULT_HOOK}: a class, not a lambda, so that the agent's start-up spins no lambda machinery. */
    private static final class DefaultHook implements UnraisableHook {
        @Override
        public void handle(UnraisableHookArgs args) {
            writeDefault(args);
        }

        @Override
        public String toString() {
            return "<built-in function __unraisablehook__>";
        }
    }

    /** {@link #DEFAULT_HOOK} for the last-resort paths, where even it must not throw out of {@link #report}. */
    private static void writeQuietly(UnraisableHookArgs args) {
        try {
            writeDefault(args);
        } catch (Throwable ignored) {
            // System.err itself failed (e.g. an OutOfMemoryError while formatting): there is nowhere left to
            // report to, and report() promises not to throw.
        }
    }

    private static void writeDefault(UnraisableHookArgs args) {
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);
        out.print(args.errMsg() == null ? "Exception ignored in" : args.errMsg());
        if (args.object() != null) {
            out.print(": ");
            out.print(safeToString(args.object()));
        }
        out.println();
        Throwable exc = args.excValue();
        if (exc == null) {
            out.println(args.excType() == null ? "None" : args.excType().getName());
        } else {
            try {
                exc.printStackTrace(out);
            } catch (RuntimeException brokenException) {
                // A throwing getMessage()/toString() on the exception: CPython prints this placeholder.
                out.println((args.excType() == null ? exc.getClass() : args.excType()).getName()
                        + ": <exception str() failed>");
            }
        }
        out.flush();
        System.err.print(text);
        System.err.flush();
    }

    private static String safeToString(Object object) {
        try {
            return String.valueOf(object);
        } catch (RuntimeException e) {
            return "<object repr() failed>";
        }
    }
}
