package dev.pythread;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Python's {@code _thread} module: starting threads, thread identifiers, the stack size of new threads,
 * interrupting the main thread, and locks.
 *
 * <pre>{@code
 * long id = PyThread.startNewThread((args, kwargs) -> work(args[0]), new Object[] {42});
 *                                            // id = _thread.start_new_thread(work, (42,))
 * Lock lock = PyThread.allocateLock();       // lock = _thread.allocate_lock()
 * PyThread.interruptMain();                  // _thread.interrupt_main()
 * }</pre>
 *
 * <p>The module-level state is what {@code _thread} itself has: the stack size for new threads (and, in
 * {@link Signals}, the signal handlers).
 */
public final class PyThread {

    /** The audit event of a thread start, as CPython's {@code _thread.start_new_thread} raises it. */
    private static final String START_EVENT = "_thread.start_new_thread";

    /**
     * Python's {@code _thread.TIMEOUT_MAX}: the largest timeout, in seconds, that {@link Lock#acquire(boolean,
     * double)} accepts; larger values throw {@code ArithmeticException("timeout value is too large")}.
     * It is {@code Long.MAX_VALUE} nanoseconds (about 292 years), the longest wait the JVM can honour.
     */
    public static final double TIMEOUT_MAX = Long.MAX_VALUE / 1e9;

    private static final long MIN_STACK_SIZE = 32_768;

    /** The stack size for new threads, in bytes; 0 is the JVM's default. */
    private static final AtomicLong STACK_SIZE = new AtomicLong();

    /** Numbers the names of the threads started here: {@code pythread-1}, {@code pythread-2}, … */
    private static final AtomicLong THREAD_NUMBER = new AtomicLong();

    private PyThread() {
    }

    /**
     * Python's {@code _thread.start_new_thread(function, args)}; see
     * {@link #startNewThread(PyFunction, Object[], Map)}.
     *
     * @param function the function the new thread calls
     * @param args     its positional arguments
     * @return the new thread's identifier
     */
    public static long startNewThread(PyFunction function, Object[] args) {
        return startNewThread(function, args, null);
    }

    /**
     * Python's {@code _thread.start_new_thread(function, args, kwargs)}: starts a new thread that calls
     * {@code function(*args, **kwargs)} and returns its identifier.
     *
     * <ul>
     *   <li>First raises the audit event {@code _thread.start_new_thread} with {@code (function, args, kwargs)}
     *       ({@code kwargs} as given, so {@code null} when there are none); if a hook throws, no thread is
     *       started and the exception propagates.</li>
     *   <li>The thread is a <b>daemon</b> platform thread (Python does not wait for {@code _thread} threads at
     *       exit), named {@code pythread-N}, with the stack size set by {@link #stackSize(long)}.</li>
     *   <li>The function gets a copy of {@code args} (a Python tuple cannot change after the call) and a
     *       read-only copy of {@code kwargs} (an empty map when {@code kwargs} is {@code null}).</li>
     *   <li>When the function returns, or throws {@link SystemExit}, the thread exits silently. Anything else it
     *       throws goes to {@link Unraisable#report} with errMsg {@code "Exception ignored in thread started by"}
     *       and the function as object; then the thread exits and the others go on.</li>
     * </ul>
     *
     * @param function the function the new thread calls
     * @param args     its positional arguments (Python's args tuple)
     * @param kwargs   its keyword arguments; {@code null} for none
     * @return the new thread's identifier: what {@link #getIdent()} returns in that thread
     * @throws NullPointerException {@code "first arg must be callable"} if {@code function} is {@code null};
     *                              {@code "2nd arg must be a tuple"} if {@code args} is {@code null}
     * @throws ThreadError          {@code "can't start new thread"} if the JVM cannot create a thread (its
     *                              {@code OutOfMemoryError} is the cause)
     */
    public static long startNewThread(PyFunction function, Object[] args, Map<String, Object> kwargs) {
        Objects.requireNonNull(function, "first arg must be callable");
        Objects.requireNonNull(args, "2nd arg must be a tuple");
        Audit.audit(START_EVENT, function, args, kwargs);
        Object[] argsCopy = args.clone();
        Map<String, Object> kwargsCopy = kwargs == null || kwargs.isEmpty()
                ? Collections.emptyMap()
                : Collections.unmodifiableMap(new LinkedHashMap<>(kwargs));
        return start(function, () -> function.call(argsCopy, kwargsCopy));
    }

    /**
     * Python's {@code _thread.start_new_thread(function, ())} for a Java {@link Runnable}: as
     * {@link #startNewThread(PyFunction, Object[], Map)}; the audit event's arguments are
     * {@code (function, new Object[0], null)}.
     *
     * @param function the code the new thread runs
     * @return the new thread's identifier
     * @throws NullPointerException {@code "first arg must be callable"} if {@code function} is {@code null}
     * @throws ThreadError          {@code "can't start new thread"} if the JVM cannot create a thread
     */
    public static long startNewThread(Runnable function) {
        Objects.requireNonNull(function, "first arg must be callable");
        Audit.audit(START_EVENT, function, new Object[0], null);
        return start(function, function::run);
    }

    /** The body of a thread: Python's {@code thread_run}. */
    @FunctionalInterface
    private interface Body {
        void run() throws Exception;
    }

    private static long start(Object function, Body body) {
        Runnable run = () -> {
            try {
                body.run();
            } catch (SystemExit exit) {
                // Python: "When the function raises a SystemExit exception, it is silently ignored."
            } catch (Throwable e) {
                Unraisable.report(e, Unraisable.THREAD_EXCEPTION_MESSAGE, function);
            }
        };
        Thread thread = new Worker(run, "pythread-" + THREAD_NUMBER.incrementAndGet(), STACK_SIZE.get());
        try {
            thread.start();
        } catch (OutOfMemoryError e) {
            throw new ThreadError("can't start new thread", e);
        }
        return ThreadIds.of(thread);
    }

    /**
     * The threads {@link #startNewThread} starts. Their own class tells the agent, which audits every
     * {@code Thread.start}, that this start has already raised {@code _thread.start_new_thread} with Python's
     * arguments, so that the event is raised once, not twice.
     */
    static final class Worker extends Thread {
        Worker(Runnable body, String name, long stackSize) {
            super(null, body, name, stackSize);
            setDaemon(true);
        }
    }

    /**
     * Python's {@code _thread.interrupt_main()}: simulates {@link Signals#SIGINT} arriving in the main thread.
     *
     * @see #interruptMain(int)
     */
    public static void interruptMain() {
        Signals.interruptMain(Signals.SIGINT);
    }

    /**
     * Python's {@code _thread.interrupt_main(signum)}: simulates signal {@code signum} arriving in the main
     * thread. No signal is sent: the signal becomes pending, and its handler runs in the main thread at its next
     * checkpoint ({@link Signals#checkSignals()}, or a {@link Lock#acquire} that waits). The main thread is also
     * {@linkplain Thread#interrupt() interrupted}, so that a blocking JDK call ({@code sleep}, {@code join},
     * {@code wait}) returns with {@code InterruptedException}. If the handler of {@code signum} is
     * {@link Signals#SIG_DFL} or {@link Signals#SIG_IGN}, this does nothing.
     *
     * @param signum the signal number, 1..64
     * @throws IllegalArgumentException {@code "signal number out of range"} if {@code signum} is not in 1..64
     */
    public static void interruptMain(int signum) {
        Signals.interruptMain(signum);
    }

    /**
     * Python's {@code _thread.exit()}: throws {@link SystemExit}, which, uncaught, ends the current thread
     * silently.
     *
     * @throws SystemExit always
     */
    public static void exit() {
        throw new SystemExit();
    }

    /**
     * Python's {@code _thread.allocate_lock()}.
     *
     * @return a new, unlocked lock
     */
    public static Lock allocateLock() {
        return new Lock();
    }

    /**
     * Python's {@code _thread.get_ident()}: a nonzero identifier of the current thread, platform or virtual.
     *
     * <p>It is the JVM's thread identifier ({@code Thread.threadId()}, {@code getId()} before JDK 19), the value
     * {@link #startNewThread} returned for this thread. The JDK promises it is unique while the thread lives;
     * OpenJDK draws it from a 64-bit counter and never recycles it, but portable code should not rely on that.
     *
     * @return the current thread's identifier, positive
     */
    public static long getIdent() {
        return ThreadIds.of(Thread.currentThread());
    }

    /**
     * Python's {@code _thread.get_native_id()}: the kernel's identifier of the current thread (on Linux its TID,
     * the number in {@code /proc/self/task/TID} and the one {@code ps -L} and {@code top -H} show).
     *
     * <p>A virtual thread has no kernel thread of its own: it gets the TID of the carrier thread it runs on at
     * the moment of the call, which may differ from one call to the next.
     *
     * @return the kernel thread id, non-negative
     * @throws UnsupportedOperationException where the kernel's thread id cannot be read (systems without
     *                                       Linux's {@code /proc/thread-self}), with a message saying so
     */
    public static long getNativeId() {
        return NativeThreadId.current();
    }

    /**
     * Python's {@code _thread.stack_size()}.
     *
     * @return the stack size, in bytes, used for threads that {@link #startNewThread} creates; 0 means the JVM's
     *         default ({@code -Xss})
     */
    public static long stackSize() {
        return STACK_SIZE.get();
    }

    /**
     * Python's {@code _thread.stack_size(size)}: sets the stack size for threads that {@link #startNewThread}
     * creates from now on. The JVM treats it as a request (see {@link Thread#Thread(ThreadGroup, Runnable,
     * String, long)}); multiples of 4096 are the portable choice.
     *
     * @param size 0 for the JVM's default, or at least 32768 bytes
     * @return the previous stack size
     * @throws IllegalArgumentException {@code "size must be 0 or a positive value"} if {@code size} is negative;
     *                                  {@code "size not valid: N bytes"} if it is 1..32767. The setting is then
     *                                  unchanged.
     */
    public static long stackSize(long size) {
        if (size < 0) {
            throw new IllegalArgumentException("size must be 0 or a positive value");
        }
        if (size != 0 && size < MIN_STACK_SIZE) {
            throw new IllegalArgumentException("size not valid: " + size + " bytes");
        }
        return STACK_SIZE.getAndSet(size);
    }
}
