package dev.pythread;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Just enough of Python's {@code signal} module for {@link PyThread#interruptMain(int)}: a handler per signal
 * number, and simulated signals that are <em>pending</em> until the main thread reaches a checkpoint.
 *
 * <p>No operating-system signal is caught or sent: {@code interruptMain} only schedules a handler call, as
 * CPython's {@code _thread.interrupt_main} does. The checkpoints, where the main thread runs the handlers of
 * pending signals, are {@link #checkSignals()} (Python's {@code PyErr_CheckSignals}) and a
 * {@link Lock#acquire} that has to wait in the main thread. A handler runs only in the main thread; what it
 * throws propagates from the checkpoint (checked exceptions wrapped in {@link ThreadError}).
 *
 * <p><b>Coalescing.</b> As in CPython, a signal is a flag, not a counter: several {@code interruptMain(n)}
 * made before the main thread reaches a checkpoint run the handler of {@code n} once.
 *
 * <p><b>Interruption.</b> Besides marking the signal pending, {@code interruptMain} calls
 * {@link Thread#interrupt()} on the main thread, so that a main thread blocked in a JDK call
 * ({@code Thread.sleep}, {@code Object.wait}, {@code Thread.join}, interruptible I/O) returns with an
 * {@code InterruptedException} (Python's {@code EINTR}) and can reach a checkpoint. A checkpoint that handles
 * signals clears the main thread's interrupt status, since that interrupt was the signal's delivery: a later
 * {@code sleep} is not cut short by a signal already handled. A delivery is counted when it begins and when its
 * {@code interrupt()} is done; a checkpoint that takes signals first waits for the deliveries in flight, so that no
 * delivery's interrupt can land after the checkpoint that handled its signal; if more signals became pending
 * meanwhile, the checkpoint leaves the interrupt set for them. (An unrelated {@code interrupt()} that arrives in the
 * same instant is merged with the signal's, as two signals of one number are.)
 *
 * <p><b>The main thread</b> is the JVM's initial thread, the one that ran {@code main} (see {@link #mainThread()}).
 */
public final class Signals {

    /** Python's {@code signal.SIGHUP}. */
    public static final int SIGHUP = 1;
    /** Python's {@code signal.SIGINT}: the signal {@link PyThread#interruptMain()} simulates. */
    public static final int SIGINT = 2;
    /** Python's {@code signal.SIGQUIT}. */
    public static final int SIGQUIT = 3;
    /** Python's {@code signal.SIGABRT}. */
    public static final int SIGABRT = 6;
    /** Python's {@code signal.SIGKILL}. */
    public static final int SIGKILL = 9;
    /** Python's {@code signal.SIGUSR1}. */
    public static final int SIGUSR1 = 10;
    /** Python's {@code signal.SIGUSR2}. */
    public static final int SIGUSR2 = 12;
    /** Python's {@code signal.SIGALRM}. */
    public static final int SIGALRM = 14;
    /** Python's {@code signal.SIGTERM}. */
    public static final int SIGTERM = 15;
    /** Python's {@code signal.NSIG - 1}: the largest signal number (Linux's {@code SIGRTMAX}). */
    public static final int MAX_SIGNUM = 64;

    /**
     * Python's signal handler: a callable {@code handler(signum, frame)} installed with {@code signal.signal}.
     * The frame argument has no Java equivalent and is left out.
     */
    @FunctionalInterface
    public interface SignalHandler {
        /**
         * Handles a simulated signal, in the main thread, at a checkpoint.
         *
         * @param signum the signal number, 1..64
         * @throws Exception to propagate it from the checkpoint (checked exceptions wrapped in {@link ThreadError})
         */
        void handle(int signum) throws Exception;
    }

    /** Python's {@code signal.SIG_DFL}: the default action; {@code interruptMain} of such a signal does nothing. */
    public static final SignalHandler SIG_DFL = new Sentinel("SIG_DFL");

    /** Python's {@code signal.SIG_IGN}: ignore the signal; {@code interruptMain} of such a signal does nothing. */
    public static final SignalHandler SIG_IGN = new Sentinel("SIG_IGN");

    /** Python's {@code signal.default_int_handler}: throws {@link KeyboardInterrupt}. Initially SIGINT's handler. */
    public static final SignalHandler DEFAULT_INT_HANDLER = new SignalHandler() {
        @Override
        public void handle(int signum) {
            throw new KeyboardInterrupt();
        }

        @Override
        public String toString() {
            return "<built-in function default_int_handler>";
        }
    };

    private static final String OUT_OF_RANGE = "signal number out of range";

    /** Handlers by signal number; index 0 unused. */
    private static final AtomicReferenceArray<SignalHandler> HANDLERS = initialHandlers();

    /** Pending signals: bit {@code signum - 1} is set from {@code interruptMain} until a checkpoint takes it. */
    private static final AtomicLong PENDING = new AtomicLong();

    /** Deliveries begun, and deliveries whose {@code interrupt()} is done; see the class comment. */
    private static final AtomicLong DELIVERIES_BEGUN = new AtomicLong();
    private static final AtomicLong DELIVERIES_DONE = new AtomicLong();

    private Signals() {
    }

    private static AtomicReferenceArray<SignalHandler> initialHandlers() {
        AtomicReferenceArray<SignalHandler> handlers = new AtomicReferenceArray<>(MAX_SIGNUM + 1);
        for (int signum = 1; signum <= MAX_SIGNUM; signum++) {
            handlers.set(signum, SIG_DFL);
        }
        handlers.set(SIGINT, DEFAULT_INT_HANDLER);
        return handlers;
    }

    /**
     * Python's {@code signal.signal(signum, handler)}: installs a handler for simulated signals.
     *
     * @param signum  the signal number, 1..64
     * @param handler the handler, or {@link #SIG_DFL} / {@link #SIG_IGN}
     * @return the previous handler
     * @throws IllegalArgumentException {@code "signal number out of range"} if {@code signum} is not in 1..64
     * @throws NullPointerException     if {@code handler} is {@code null}
     */
    public static SignalHandler signal(int signum, SignalHandler handler) {
        checkRange(signum);
        Objects.requireNonNull(handler, "handler");
        return HANDLERS.getAndSet(signum, handler);
    }

    /**
     * Python's {@code signal.getsignal(signum)}.
     *
     * @param signum the signal number, 1..64
     * @return the installed handler
     * @throws IllegalArgumentException {@code "signal number out of range"} if {@code signum} is not in 1..64
     */
    public static SignalHandler getSignal(int signum) {
        checkRange(signum);
        return HANDLERS.get(signum);
    }

    /**
     * The thread that handles simulated signals: the JVM's initial thread, which runs {@code main} (Python's
     * main thread). It is found, once, on the first use of this class, as the thread named {@code "main"} in the
     * thread group {@code "main"} (where the {@code java} launcher runs {@code main}); if there is none (the
     * main thread has ended or was renamed), the thread that first uses this class takes its role.
     *
     * @return the main thread; it may have ended
     */
    public static Thread mainThread() {
        return MainThread.THREAD;
    }

    /**
     * Python's {@code PyErr_CheckSignals()}: in the main thread, runs the handlers of the pending signals, in
     * increasing signal number. In any other thread it does nothing.
     *
     * <p>If a handler throws, the signals not yet handled stay pending and the exception propagates
     * (a checked exception wrapped in a {@link ThreadError}).
     */
    public static void checkSignals() {
        if (PENDING.get() != 0 && Thread.currentThread() == MainThread.THREAD) {
            runPendingHandlers();
        }
    }

    /** Python's {@code _thread.interrupt_main(signum)}; see {@link PyThread#interruptMain(int)}. */
    static void interruptMain(int signum) {
        checkRange(signum);
        SignalHandler handler = HANDLERS.get(signum);
        if (handler == SIG_DFL || handler == SIG_IGN) {
            return;
        }
        // Counted, pending, interrupted, counted: whoever sees the interrupt also sees the signal it announces, and a
        // checkpoint that took the signal can wait for the interrupt to have landed.
        DELIVERIES_BEGUN.incrementAndGet();
        try {
            PENDING.getAndUpdate(bits -> bits | bit(signum));
            MainThread.THREAD.interrupt();
        } finally {
            DELIVERIES_DONE.incrementAndGet();
        }
    }

    /** Whether a checkpoint in the current thread would run a handler; cheap, for wait loops. */
    static boolean pendingFor(Thread current) {
        return PENDING.get() != 0 && current == MainThread.THREAD;
    }

    /** Runs the pending handlers; only called by the main thread. */
    static void runPendingHandlers() {
        long bits = PENDING.getAndSet(0);
        if (bits == 0) {
            return;
        }
        consumeDeliveryInterrupts();
        for (int signum = 1; signum <= MAX_SIGNUM; signum++) {
            if ((bits & bit(signum)) == 0) {
                continue;
            }
            long rest = bits & -(bit(signum) << 1); // the signals after this one
            SignalHandler handler = HANDLERS.get(signum);
            if (handler == SIG_DFL || handler == SIG_IGN) {
                continue; // changed after interruptMain: nothing to run
            }
            try {
                handler.handle(signum);
            } catch (RuntimeException | Error e) {
                requeue(rest);
                throw e;
            } catch (Exception e) {
                requeue(rest);
                throw new ThreadError("signal handler for signal " + signum + " raised " + e, e);
            }
        }
    }

    /**
     * Clears the interrupt that delivered the signals just taken, once every delivery begun so far has landed (each
     * takes a few instructions; yielding lets a descheduled one finish); re-raises it if more signals are pending.
     */
    private static void consumeDeliveryInterrupts() {
        long begun = DELIVERIES_BEGUN.get();
        while (DELIVERIES_DONE.get() < begun) {
            Thread.yield();
        }
        Thread.interrupted();
        if (PENDING.get() != 0) {
            Thread.currentThread().interrupt();
        }
    }

    private static void requeue(long bits) {
        if (bits != 0) {
            PENDING.getAndUpdate(pending -> pending | bits);
        }
    }

    private static long bit(int signum) {
        return 1L << (signum - 1);
    }

    private static void checkRange(int signum) {
        if (signum < 1 || signum > MAX_SIGNUM) {
            throw new IllegalArgumentException(OUT_OF_RANGE);
        }
    }

    /** Lazy holder: finding the main thread walks the live threads once, on first use. */
    private static final class MainThread {
        static final Thread THREAD = find();

        private static Thread find() {
            Thread current = Thread.currentThread();
            if (isLauncherThread(current)) {
                return current;
            }
            ThreadGroup root = current.getThreadGroup();
            while (root != null && root.getParent() != null) {
                root = root.getParent();
            }
            Thread found = null;
            if (root != null) {
                Thread[] threads = new Thread[root.activeCount() + 16];
                int count = root.enumerate(threads, true);
                for (int i = 0; i < count; i++) {
                    Thread candidate = threads[i];
                    if (isLauncherThread(candidate)
                            && (found == null || ThreadIds.of(candidate) < ThreadIds.of(found))) {
                        found = candidate;
                    }
                }
            }
            return found != null ? found : current;
        }

        /**
         * The java launcher runs {@code main} in a thread named "main" of the thread group "main". Its identifier
         * is not fixed (1 on JDK 17, 3 on JDK 25), so the name is the mark; a renamed main thread is not found.
         */
        private static boolean isLauncherThread(Thread thread) {
            ThreadGroup group = thread.getThreadGroup();
            return "main".equals(thread.getName()) && group != null && "main".equals(group.getName());
        }
    }

    /** {@code SIG_DFL} and {@code SIG_IGN}: markers, never called. */
    private static final class Sentinel implements SignalHandler {
        private final String name;

        Sentinel(String name) {
            this.name = name;
        }

        @Override
        public void handle(int signum) {
            // Never called: interruptMain and the checkpoints treat the sentinels as "no handler".
        }

        @Override
        public String toString() {
            return "<Handlers." + name + ": " + (name.equals("SIG_DFL") ? 0 : 1) + ">";
        }
    }
}
