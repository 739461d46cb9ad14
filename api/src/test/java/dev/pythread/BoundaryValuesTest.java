package dev.pythread;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pythread.Signals.SignalHandler;
import dev.pythread.Unraisable.UnraisableHook;
import dev.pythread.Unraisable.UnraisableHookArgs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Boundary values of every public method, beyond what {@link LockTest}, {@link PyThreadTest}, {@link SignalsTest},
 * {@link AuditTest} and {@link UnraisableTest} already pin down: each rejected value gets docs/api.md's exception type
 * and message, <b>and</b> leaves the object as it was — a held lock stays held, a free one free, the stack size, the
 * signal handlers, the audit hooks and the unraisable hook keep their values, and nothing is started, raised, queued
 * or printed. The values at the very edge of what is allowed are accepted.
 */
@Timeout(60)
class BoundaryValuesTest {

    private static final String NAN = "Invalid value NaN (not a number)";
    private static final String NON_BLOCKING = "can't specify a timeout for a non-blocking call";
    private static final String NEGATIVE = "timeout value must be a non-negative number";
    private static final String TOO_LARGE = "timeout value is too large";
    private static final String OUT_OF_RANGE = "signal number out of range";

    @BeforeAll
    static void installRecordingHook() {
        TestHooks.install();
    }

    /** The message of what {@code call} throws, which must be exactly {@code type}. */
    private static String thrown(Class<? extends Throwable> type, Executable call) {
        return assertThrowsExactly(type, call::run).getMessage();
    }

    /** Code that may throw, for {@link #thrown}. */
    @FunctionalInterface
    private interface Executable {
        void run() throws Throwable;
    }

    /** {@code Lock.acquire(blocking, timeout)}: every rejected argument, on a held lock and on a free one. */
    @Nested
    class LockAcquire {

        /**
         * Rejected arguments, in CPython's order of checks: NaN first, then a timeout given to a non-blocking call,
         * then a negative timeout other than -1, then one above TIMEOUT_MAX. The neighbours of -1 and of
         * TIMEOUT_MAX are the doubles right next to them.
         */
        static Stream<Arguments> rejected() {
            double minusOne = -1.0;
            double max = PyThread.TIMEOUT_MAX;
            return Stream.of(
                    Arguments.of(true, Double.NaN, IllegalArgumentException.class, NAN),
                    Arguments.of(false, Double.NaN, IllegalArgumentException.class, NAN),
                    Arguments.of(false, -0.0, IllegalArgumentException.class, NON_BLOCKING),
                    Arguments.of(false, Double.MIN_VALUE, IllegalArgumentException.class, NON_BLOCKING),
                    Arguments.of(false, Math.nextUp(minusOne), IllegalArgumentException.class, NON_BLOCKING),
                    Arguments.of(false, Math.nextDown(minusOne), IllegalArgumentException.class, NON_BLOCKING),
                    Arguments.of(false, max, IllegalArgumentException.class, NON_BLOCKING),
                    Arguments.of(false, Math.nextUp(max), IllegalArgumentException.class, NON_BLOCKING),
                    Arguments.of(false, Double.POSITIVE_INFINITY, IllegalArgumentException.class, NON_BLOCKING),
                    Arguments.of(false, -Double.MAX_VALUE, IllegalArgumentException.class, NON_BLOCKING),
                    Arguments.of(true, Math.nextUp(minusOne), IllegalArgumentException.class, NEGATIVE),
                    Arguments.of(true, Math.nextDown(minusOne), IllegalArgumentException.class, NEGATIVE),
                    Arguments.of(true, -Double.MIN_VALUE, IllegalArgumentException.class, NEGATIVE),
                    Arguments.of(true, -Double.MAX_VALUE, IllegalArgumentException.class, NEGATIVE),
                    Arguments.of(true, Double.NEGATIVE_INFINITY, IllegalArgumentException.class, NEGATIVE),
                    Arguments.of(true, Math.nextUp(max), ArithmeticException.class, TOO_LARGE),
                    Arguments.of(true, max * 2, ArithmeticException.class, TOO_LARGE),
                    Arguments.of(true, Double.MAX_VALUE, ArithmeticException.class, TOO_LARGE),
                    Arguments.of(true, Double.POSITIVE_INFINITY, ArithmeticException.class, TOO_LARGE));
        }

        @ParameterizedTest(name = "acquire({0}, {1}) on a held lock: {2}")
        @MethodSource("rejected")
        void rejectedOnAHeldLockLeavesItHeldWithoutWaiting(boolean blocking, double timeout,
                Class<? extends RuntimeException> type, String message) {
            Lock lock = new Lock();
            lock.acquire();
            long start = System.nanoTime();
            assertEquals(message, thrown(type, () -> lock.acquire(blocking, timeout)));
            long waited = System.nanoTime() - start;
            assertTrue(waited < TimeUnit.SECONDS.toNanos(5), "a rejected call does not wait: " + waited + " ns");
            assertTrue(lock.locked(), "still held");
            assertFalse(lock.acquire(false), "still held by its owner, not taken twice");
            lock.release();
            assertFalse(lock.locked(), "released once, it is free");
        }

        @ParameterizedTest(name = "acquire({0}, {1}) on a free lock: {2}")
        @MethodSource("rejected")
        void rejectedOnAFreeLockLeavesItFree(boolean blocking, double timeout, Class<? extends RuntimeException> type,
                String message) {
            Lock lock = new Lock();
            assertEquals(message, thrown(type, () -> lock.acquire(blocking, timeout)));
            assertFalse(lock.locked(), "not taken");
            assertTrue(lock.acquire(false), "still free");
            lock.release();
        }

    }

    /** {@code PyThread.stackSize(size)}: what it rejects leaves the setting as it was; the edges are accepted. */
    @Nested
    class StackSize {

        private static final long SET = 262_144;

        @AfterEach
        void restoreDefault() {
            PyThread.stackSize(0);
        }

        @ParameterizedTest(name = "stackSize({0})")
        @ValueSource(longs = {-1, -32_768, Integer.MIN_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1})
        void negativeSizesAreRejectedAndChangeNothing(long size) {
            PyThread.stackSize(SET);
            assertEquals("size must be 0 or a positive value",
                    thrown(IllegalArgumentException.class, () -> PyThread.stackSize(size)));
            assertEquals(SET, PyThread.stackSize(), "unchanged");
        }

        @ParameterizedTest(name = "stackSize({0})")
        @ValueSource(longs = {1, 2, 4096, 16_384, 32_766, 32_767})
        void sizesBelowTheMinimumAreRejectedAndChangeNothing(long size) {
            PyThread.stackSize(SET);
            assertEquals("size not valid: " + size + " bytes",
                    thrown(IllegalArgumentException.class, () -> PyThread.stackSize(size)));
            assertEquals(SET, PyThread.stackSize(), "unchanged");
        }

        @ParameterizedTest(name = "stackSize({0})")
        @ValueSource(longs = {0, 32_768, 32_769, Integer.MAX_VALUE, Integer.MAX_VALUE + 1L, Long.MAX_VALUE})
        void sizesFromTheMinimumUpAreAcceptedAndReadBack(long size) {
            PyThread.stackSize(SET);
            assertEquals(SET, PyThread.stackSize(size), "returns the previous size");
            assertEquals(size, PyThread.stackSize());
            assertEquals(size, PyThread.stackSize(SET));
        }

        /**
         * Long.MAX_VALUE is a valid setting (CPython too accepts any size it can pass on), but no thread gets such a
         * stack: starting one fails with docs/api.md's {@code ThreadError}, the function never runs, and the setting
         * stays. (The JVM itself logs a "Failed to start thread" warning line.)
         */
        @Test
        void aThreadCannotGetLongMaxValueBytesOfStack() throws Exception {
            PyThread.stackSize(Long.MAX_VALUE);
            AtomicBoolean ran = new AtomicBoolean();
            ThreadError error = assertThrowsExactly(ThreadError.class,
                    () -> PyThread.startNewThread((args, kwargs) -> ran.set(true), new Object[0]));
            assertEquals("can't start new thread", error.getMessage());
            assertInstanceOf(OutOfMemoryError.class, error.getCause());
            Thread.sleep(100);
            assertFalse(ran.get(), "the function never ran");
            assertEquals(Long.MAX_VALUE, PyThread.stackSize(), "the setting stays");
        }
    }

    /** {@code PyThread.startNewThread}: a null argument starts nothing and raises no audit event. */
    @Nested
    class StartNewThread {

        /** Every overload with a null in each argument: which NullPointerException, by docs/api.md. */
        static Stream<Arguments> nullArguments() {
            PyFunction f = (args, kwargs) -> {
                throw new AssertionError("a rejected start must not run the function");
            };
            Object[] none = new Object[0];
            Map<String, Object> kw = Map.of("k", "v");
            String callable = "first arg must be callable";
            String tuple = "2nd arg must be a tuple";
            return Stream.of(
                    Arguments.of("(null, args)", callable, (Executable) () -> PyThread.startNewThread(null, none)),
                    Arguments.of("(null, null)", callable, (Executable) () -> PyThread.startNewThread(null, null)),
                    Arguments.of("(f, null)", tuple, (Executable) () -> PyThread.startNewThread(f, null)),
                    Arguments.of("(null, args, kwargs)", callable,
                            (Executable) () -> PyThread.startNewThread(null, none, kw)),
                    Arguments.of("(null, null, null)", callable,
                            (Executable) () -> PyThread.startNewThread(null, null, null)),
                    Arguments.of("(null, args, null)", callable,
                            (Executable) () -> PyThread.startNewThread(null, none, null)),
                    Arguments.of("(f, null, kwargs)", tuple, (Executable) () -> PyThread.startNewThread(f, null, kw)),
                    Arguments.of("(f, null, null)", tuple, (Executable) () -> PyThread.startNewThread(f, null, null)),
                    Arguments.of("((Runnable) null)", callable,
                            (Executable) () -> PyThread.startNewThread((Runnable) null)));
        }

        @ParameterizedTest(name = "startNewThread{0}")
        @MethodSource("nullArguments")
        void nullArgumentsStartNothingAndRaiseNoEvent(String call, String message, Executable start) {
            Set<Thread> before = livePyThreads();
            try (TestHooks.Recorder recorder = TestHooks.record("_thread.start_new_thread")) {
                Thread me = Thread.currentThread();
                assertEquals(message, thrown(NullPointerException.class, start));
                assertTrue(recorder.events().stream().noneMatch(e -> e.thread() == me),
                        () -> "no audit event: " + recorder.events());
            }
            Set<Thread> appeared = livePyThreads();
            appeared.removeAll(before);
            assertTrue(appeared.isEmpty(), "no thread started: " + appeared);
        }

        private Set<Thread> livePyThreads() {
            return Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().startsWith("pythread-"))
                    .collect(Collectors.toSet());
        }
    }

    /**
     * {@code Signals.signal}, {@code getSignal} and {@code PyThread.interruptMain}: signal numbers past and at the
     * edges, and null handlers.
     */
    @Nested
    class SignalNumbers {

        @AfterEach
        void restoreHandlers() {
            for (int signum = 1; signum <= Signals.MAX_SIGNUM; signum++) {
                Signals.signal(signum, signum == Signals.SIGINT ? Signals.DEFAULT_INT_HANDLER : Signals.SIG_DFL);
            }
        }

        private List<SignalHandler> handlers() {
            List<SignalHandler> all = new ArrayList<>();
            for (int signum = 1; signum <= Signals.MAX_SIGNUM; signum++) {
                all.add(Signals.getSignal(signum));
            }
            return all;
        }

        private boolean anyPending() {
            return Signals.pendingFor(Signals.mainThread());
        }

        @ParameterizedTest(name = "signum {0}")
        @ValueSource(ints = {0, -1, 65, 66, 128, Integer.MIN_VALUE, Integer.MIN_VALUE + 1, Integer.MAX_VALUE})
        void outOfRangeChangesNoHandlerAndQueuesNothing(int signum) {
            SignalHandler mine = s -> { };
            Signals.signal(Signals.SIGUSR1, mine);
            List<SignalHandler> before = handlers();

            assertEquals(OUT_OF_RANGE, thrown(IllegalArgumentException.class, () -> Signals.signal(signum, mine)));
            assertEquals(OUT_OF_RANGE, thrown(IllegalArgumentException.class, () -> Signals.signal(signum, null)),
                    "the number is checked before the handler, as in CPython");
            assertEquals(OUT_OF_RANGE, thrown(IllegalArgumentException.class, () -> Signals.getSignal(signum)));
            assertEquals(OUT_OF_RANGE, thrown(IllegalArgumentException.class, () -> PyThread.interruptMain(signum)));

            assertEquals(before, handlers(), "every handler unchanged");
            assertFalse(anyPending(), "no signal pending");
        }

        /** 1 and 64 are the first and last signal numbers: installable, readable, restorable. */
        @ParameterizedTest(name = "signum {0}")
        @ValueSource(ints = {1, Signals.MAX_SIGNUM})
        void firstAndLastSignalNumbersAreValid(int signum) {
            SignalHandler mine = s -> { };
            assertSame(Signals.SIG_DFL, Signals.getSignal(signum));
            assertSame(Signals.SIG_DFL, Signals.signal(signum, mine));
            assertSame(mine, Signals.getSignal(signum));
            assertSame(mine, Signals.signal(signum, Signals.SIG_IGN));
            assertSame(Signals.SIG_IGN, Signals.signal(signum, Signals.SIG_DFL));
        }

        /** interruptMain(1) and (64) are in range; with SIG_DFL or SIG_IGN installed they do nothing at all. */
        @ParameterizedTest(name = "signum {0}")
        @ValueSource(ints = {1, Signals.MAX_SIGNUM})
        void interruptMainAtTheEdgesWithADefaultHandlerDoesNothing(int signum) {
            boolean wasInterrupted = Signals.mainThread().isInterrupted();
            PyThread.interruptMain(signum);
            Signals.signal(signum, Signals.SIG_IGN);
            PyThread.interruptMain(signum);
            assertFalse(anyPending(), "no signal pending");
            assertEquals(wasInterrupted, Signals.mainThread().isInterrupted(), "the main thread is not interrupted");
        }

        /** A null handler is Python's TypeError: NullPointerException, and the old handler stays. */
        @ParameterizedTest(name = "signum {0}")
        @ValueSource(ints = {1, Signals.SIGINT, Signals.SIGTERM, Signals.MAX_SIGNUM})
        void nullHandlerKeepsTheOldOne(int signum) {
            SignalHandler old = Signals.getSignal(signum);
            assertThrowsExactly(NullPointerException.class, () -> Signals.signal(signum, null));
            assertSame(old, Signals.getSignal(signum));
            SignalHandler mine = s -> { };
            Signals.signal(signum, mine);
            assertThrowsExactly(NullPointerException.class, () -> Signals.signal(signum, null));
            assertSame(mine, Signals.getSignal(signum));
        }
    }

    /** {@code Audit.addHook} and {@code Audit.audit} given nulls. */
    @Nested
    class AuditNulls {

        /** addHook(null) fails before anything: the hooks already there are not even asked (no sys.addaudithook). */
        @Test
        void addHookOfNullRaisesNoEventAndAddsNothing() {
            try (TestHooks.Recorder recorder = TestHooks.record("sys.addaudithook")) {
                assertThrowsExactly(NullPointerException.class, () -> Audit.addHook(null));
                assertEquals(List.of(), recorder.events(), "no sys.addaudithook event");
            }
            assertTrue(Audit.isActive(), "the hooks installed before are still there");
        }

        /**
         * A null event name, with hooks installed, is a NullPointerException from every overload, and no hook sees
         * it. (Without any hook, audit returns at once without looking at its arguments, as CPython's sys.audit
         * does — that is its zero-cost promise; this JVM always has TestHooks' hook.)
         */
        @Test
        void nullEventReachesNoHook() {
            List<String> seen = new CopyOnWriteArrayList<>();
            try (TestHooks.Gate gate = new TestHooks.Gate()) {
                assertTrue(TestHooks.addGatedHook(gate, (event, args) -> seen.add(String.valueOf(event))));
                gate.open();
                assertThrowsExactly(NullPointerException.class, () -> Audit.audit(null));
                assertThrowsExactly(NullPointerException.class, () -> Audit.audit(null, "a"));
                assertThrowsExactly(NullPointerException.class, () -> Audit.audit(null, "a", "b"));
                assertThrowsExactly(NullPointerException.class, () -> Audit.audit(null, "a", "b", "c"));
                assertThrowsExactly(NullPointerException.class, () -> Audit.audit(null, "a", "b", "c", "d"));
                assertThrowsExactly(NullPointerException.class, () -> Audit.audit(null, (Object[]) null));
                assertEquals(List.of(), seen, "no hook saw a null event");
                Audit.audit("pythread.test.boundary", (Object) null);
                assertEquals(List.of("pythread.test.boundary"), seen, "the hook still works");
            }
        }

    }

    /** {@code Unraisable.report} given a null exception, and the default hook given null fields. */
    @Nested
    class UnraisableNulls {

        @AfterEach
        void restoreDefaultHook() {
            Unraisable.setHook(null);
        }

        /** report(null, …) is a programming error: NullPointerException, and no event, no hook call, no output. */
        @Test
        void reportOfNullExceptionRaisesNoEventCallsNoHookAndPrintsNothing() throws Exception {
            List<UnraisableHookArgs> calls = new CopyOnWriteArrayList<>();
            UnraisableHook hook = calls::add;
            Unraisable.setHook(hook);
            try (TestHooks.Recorder recorder = TestHooks.record("sys.unraisablehook")) {
                String err = TestHooks.captureErr(() -> {
                    assertThrowsExactly(NullPointerException.class, () -> Unraisable.report(null, "msg", "obj"));
                    assertThrowsExactly(NullPointerException.class, () -> Unraisable.report(null, null, null));
                });
                assertEquals("", err, "nothing printed");
                assertEquals(List.of(), recorder.events(), "no sys.unraisablehook event");
            }
            assertEquals(List.of(), calls, "the hook is not called");
            assertSame(hook, Unraisable.getHook(), "and stays installed");
        }

        /**
         * DEFAULT_HOOK with every field null (a record anyone can build): "Exception ignored in", then "None" for the
         * missing exception, as CPython prints a report without exception — and no exception.
         */
        @Test
        void defaultHookWritesAReportWhoseFieldsAreAllNull() throws Exception {
            String err = TestHooks.captureErr(
                    () -> Unraisable.DEFAULT_HOOK.handle(new UnraisableHookArgs(null, null, null, null, null)));
            String nl = System.lineSeparator();
            assertEquals("Exception ignored in" + nl + "None" + nl, err);
        }

        /** Only the type given: its name stands for the missing exception value. */
        @Test
        void defaultHookWithATypeButNoValueWritesTheTypeName() throws Exception {
            String err = TestHooks.captureErr(() -> Unraisable.DEFAULT_HOOK.handle(
                    new UnraisableHookArgs(IllegalStateException.class, null, null, "msg", null)));
            String nl = System.lineSeparator();
            assertEquals("msg" + nl + IllegalStateException.class.getName() + nl, err);
        }

    }
}
