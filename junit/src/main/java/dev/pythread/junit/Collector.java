package dev.pythread.junit;

import dev.pythread.SystemExit;
import dev.pythread.Unraisable;
import dev.pythread.Unraisable.UnraisableHook;
import dev.pythread.Unraisable.UnraisableHookArgs;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where the uncaught exceptions of threads arrive while at least one {@link Scope} is open, and which scope each is
 * held against. One per JVM: the hooks it replaces are per JVM too.
 *
 * <p><b>Two entrances, one exception counted once.</b> While a scope is open this is both the unraisable hook
 * ({@code sys.unraisablehook}) and the default uncaught-exception handler, each chaining to the one it replaced:
 * <ul>
 *   <li>under pythread-agent every thread's uncaught exception is reported to {@link Unraisable} — even that of a
 *       thread with its own handler, which the JVM would never pass to the default handler; so are, with or without
 *       the agent, the exceptions of {@code PyThread.startNewThread}'s threads, which never reach the JVM's
 *       handlers at all;</li>
 *   <li>without the agent, the default handler sees every thread that has no handler of its own.</li>
 * </ul>
 * Under the agent's default hook an exception passes through both (the unraisable hook hands it to the JVM's chain,
 * which ends in the default handler): {@link #REPORTED} marks it on its way so that the second entrance does not
 * record it again. Installing both whether or not the agent is loaded means nothing has to tell whether it is, and
 * nothing is lost if it loaded but could not instrument {@code Thread}.
 *
 * <p><b>Attribution.</b> A thread inherits, through {@link #OWNER}, the scope that was open in the thread that
 * created it (the test, or the class for a thread started in {@code @BeforeAll}); its exception is held against that
 * scope, or, if it has closed, the nearest enclosing scope still open (a thread outliving its test is held against
 * the test's class). An exception of a thread with no open owner — created outside any test, such as a pool's worker
 * created before the tests — is held against every test running at that moment; if none is, against the innermost
 * classes running. If nothing is running it is not held against anything; the chained handlers still print it.
 */
final class Collector implements UnraisableHook, Thread.UncaughtExceptionHandler {

    static final Collector INSTANCE = new Collector();

    /**
     * The scope open in this thread, inherited by the threads it creates: inheritance happens when a
     * {@code Thread} is constructed, in the constructing thread, which is exactly "the test that started it"
     * without instrumenting anything.
     */
    private static final InheritableThreadLocal<Scope> OWNER = new InheritableThreadLocal<>();

    /** The exception this thread is reporting through the unraisable hook, while it calls the hook it replaced. */
    private static final ThreadLocal<Throwable> REPORTED = new ThreadLocal<>();

    private final Set<Scope> open = ConcurrentHashMap.newKeySet();

    private int users; // guarded by this: open scopes, to install on the first and restore after the last

    private volatile UnraisableHook previousHook = Unraisable.DEFAULT_HOOK;
    private volatile Thread.UncaughtExceptionHandler previousHandler;

    private Collector() {
    }

    /** Opens {@code scope} in the current thread: threads created from here on belong to it. */
    void open(Scope scope) {
        synchronized (this) {
            if (users++ == 0) {
                // Still ours only if a test put back what it had saved while we were installed: chaining to
                // ourselves would recurse, so the hook we replaced then stays the previous one.
                UnraisableHook hook = Unraisable.getHook();
                if (hook != this) {
                    previousHook = hook;
                    Unraisable.setHook(this);
                }
                Thread.UncaughtExceptionHandler handler = Thread.getDefaultUncaughtExceptionHandler();
                if (handler != this) {
                    previousHandler = handler;
                    Thread.setDefaultUncaughtExceptionHandler(this);
                }
            }
        }
        open.add(scope);
        scope.previousOwner = OWNER.get();
        OWNER.set(scope);
    }

    /**
     * Closes {@code scope}, in the thread that opened it.
     *
     * @return the threads that died during it, in order
     */
    List<DeadThread> close(Scope scope) {
        if (OWNER.get() == scope) {
            if (scope.previousOwner == null) {
                OWNER.remove();
            } else {
                OWNER.set(scope.previousOwner);
            }
        }
        List<DeadThread> dead = scope.close(); // before leaving the open set, so the fallback cannot miss it either
        open.remove(scope);
        synchronized (this) {
            if (--users == 0) {
                // A test that installed its own hook or handler meanwhile keeps it: restoring ours would undo it.
                if (Unraisable.getHook() == this) {
                    Unraisable.setHook(previousHook);
                }
                if (Thread.getDefaultUncaughtExceptionHandler() == this) {
                    Thread.setDefaultUncaughtExceptionHandler(previousHandler);
                }
            }
        }
        return dead;
    }

    /** The unraisable hook: called in the dying thread, by the agent or by {@code PyThread}'s threads. */
    @Override
    public void handle(UnraisableHookArgs args) {
        Throwable exc = args.excValue();
        try {
            if (exc != null && Unraisable.THREAD_EXCEPTION_MESSAGE.equals(args.errMsg())) {
                // The agent passes the thread; PyThread passes the thread's function, and reports in the thread.
                Thread thread = args.object() instanceof Thread ? (Thread) args.object() : Thread.currentThread();
                collect(thread, exc);
            }
        } finally {
            REPORTED.set(exc);
            try {
                previousHook.handle(args);
            } finally {
                REPORTED.remove();
            }
        }
    }

    /** The default uncaught-exception handler: called in the dying thread by its {@code ThreadGroup}. */
    @Override
    public void uncaughtException(Thread thread, Throwable exc) {
        try {
            if (REPORTED.get() != exc) {
                collect(thread, exc);
            }
        } finally {
            Thread.UncaughtExceptionHandler previous = previousHandler;
            if (previous != null) {
                previous.uncaughtException(thread, exc);
            } else if (!(exc instanceof ThreadDeath)) {
                // What ThreadGroup.uncaughtException does when there is no default handler (JDK 17 to 25).
                System.err.print("Exception in thread \"" + thread.getName() + "\" ");
                exc.printStackTrace(System.err);
            }
        }
    }

    private void collect(Thread thread, Throwable exc) {
        // SystemExit ends a thread silently (Python's threading.excepthook ignores it); ThreadDeath is Thread.stop's,
        // which JDK 17 does not report either.
        if (exc instanceof SystemExit || exc instanceof ThreadDeath) {
            return;
        }
        DeadThread deadThread = new DeadThread(thread.getName(), exc);
        for (Scope owner = OWNER.get(); owner != null; owner = owner.parent) {
            if (owner.record(deadThread)) {
                return;
            }
            if (owner.allowed) {
                return; // a thread of a test that allowed its threads to die, outliving it
            }
        }
        if (!recordInRunning(deadThread, true)) {
            recordInRunning(deadThread, false);
        }
    }

    /** Records in every open test, or in every open class that has no open nested class. */
    private boolean recordInRunning(DeadThread deadThread, boolean tests) {
        boolean recorded = false;
        for (Scope scope : open) {
            if (scope.test == tests && (tests || !hasOpenNestedClass(scope)) && scope.record(deadThread)) {
                recorded = true;
            }
        }
        return recorded;
    }

    private boolean hasOpenNestedClass(Scope scope) {
        for (Scope other : open) {
            if (!other.test && other.parent == scope) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "<pythread-junit: holds thread exceptions against the running tests>";
    }
}
