package dev.pythread;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pythread.Unraisable.UnraisableHook;
import dev.pythread.Unraisable.UnraisableHookArgs;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Unraisable}: {@code sys.unraisablehook}, {@code sys.__unraisablehook__} and its audit event, after
 * CPython's {@code UnraisableHookTest} and audit tests.
 */
@Timeout(60)
class UnraisableTest {

    private static final String NL = System.lineSeparator();

    @BeforeAll
    static void installRecordingHook() {
        TestHooks.install();
    }

    @AfterEach
    void restoreDefaultHook() {
        Unraisable.setHook(null);
    }

    /** An object with a fixed, recognisable {@code toString()}. */
    private static Object named(String name) {
        return new Object() {
            @Override
            public String toString() {
                return name;
            }
        };
    }

    /** An unraisable hook that records what it gets. */
    private static final class RecordingHook implements UnraisableHook {
        final List<UnraisableHookArgs> calls = new CopyOnWriteArrayList<>();

        @Override
        public void handle(UnraisableHookArgs args) {
            calls.add(args);
        }

        @Override
        public String toString() {
            return "<RecordingHook>";
        }
    }

    @Test
    void argsOfAnExceptionTakeItsTypeAndTraceback() {
        IllegalStateException boom = new IllegalStateException("boom");
        Object about = new Object();
        UnraisableHookArgs args = UnraisableHookArgs.of(boom, "Exception ignored in", about);
        assertEquals(IllegalStateException.class, args.excType());
        assertSame(boom, args.excValue());
        assertArrayEquals(boom.getStackTrace(), args.excTraceback());
        assertEquals("Exception ignored in", args.errMsg());
        assertSame(about, args.object());
        assertThrows(NullPointerException.class, () -> UnraisableHookArgs.of(null, null, null));
    }

    @Test
    void theDefaultHookIsInstalledUntilAnotherIsSet() {
        assertSame(Unraisable.DEFAULT_HOOK, Unraisable.getHook(), "initially sys.__unraisablehook__");

        RecordingHook hook = new RecordingHook();
        Unraisable.setHook(hook);
        assertSame(hook, Unraisable.getHook());

        Unraisable.setHook(null);
        assertSame(Unraisable.DEFAULT_HOOK, Unraisable.getHook(), "null restores the default hook");
    }

    @Test
    void reportCallsTheHookOnceWithTheRecord() {
        RecordingHook hook = new RecordingHook();
        Unraisable.setHook(hook);
        IllegalArgumentException exc = new IllegalArgumentException("42");
        Object object = new Object();

        Unraisable.report(exc, "Exception ignored in custom hook", object);

        assertEquals(1, hook.calls.size());
        UnraisableHookArgs args = hook.calls.get(0);
        assertSame(IllegalArgumentException.class, args.excType());
        assertSame(exc, args.excValue());
        assertArrayEquals(exc.getStackTrace(), args.excTraceback());
        assertEquals("Exception ignored in custom hook", args.errMsg());
        assertSame(object, args.object());
    }

    @Test
    void reportPassesNullMessageAndObjectThrough() {
        RecordingHook hook = new RecordingHook();
        Unraisable.setHook(hook);
        Error exc = new Error("no message, no object");

        Unraisable.report(exc, null, null);

        assertEquals(1, hook.calls.size());
        UnraisableHookArgs args = hook.calls.get(0);
        assertSame(Error.class, args.excType());
        assertSame(exc, args.excValue());
        assertEquals(null, args.errMsg());
        assertEquals(null, args.object());
    }

    @Test
    void reportRaisesTheAuditEventBeforeCallingTheHook() {
        IllegalStateException exc = new IllegalStateException("nonfatal-error");
        AtomicInteger eventsSeenByHook = new AtomicInteger(-1);
        List<UnraisableHookArgs> hookCalls = new CopyOnWriteArrayList<>();
        try (TestHooks.Recorder recorder = TestHooks.record("sys.unraisablehook")) {
            UnraisableHook hook = new UnraisableHook() {
                @Override
                public void handle(UnraisableHookArgs args) {
                    eventsSeenByHook.set(recorder.events("sys.unraisablehook", a -> isAbout(a, exc)).size());
                    hookCalls.add(args);
                }
            };
            Unraisable.setHook(hook);

            Unraisable.report(exc, "Exception ignored for audit hook test", null);

            List<TestHooks.Event> events = recorder.events("sys.unraisablehook", a -> isAbout(a, exc));
            assertEquals(1, events.size(), "one sys.unraisablehook event");
            TestHooks.Event event = events.get(0);
            assertSame(Thread.currentThread(), event.thread(), "raised in the reporting thread");
            assertEquals(2, event.args().length, "args are (hook, unraisableHookArgs)");
            assertSame(hook, event.args()[0]);
            UnraisableHookArgs auditArgs = (UnraisableHookArgs) event.args()[1];
            assertSame(exc, auditArgs.excValue());
            assertEquals("Exception ignored for audit hook test", auditArgs.errMsg());
            assertEquals(1, hookCalls.size());
            assertSame(hookCalls.get(0), auditArgs, "the audit hook and the hook see the same record");
        }
        assertEquals(1, eventsSeenByHook.get(), "the event was raised before the hook was called");
    }

    private static boolean isAbout(Object[] auditArgs, Throwable exc) {
        return auditArgs.length == 2 && auditArgs[1] instanceof UnraisableHookArgs
                && ((UnraisableHookArgs) auditArgs[1]).excValue() == exc;
    }

    @Test
    void aFailingHookIsReportedByTheDefaultHook() throws Exception {
        RuntimeException hookFailure = new RuntimeException("hook_func failed");
        AtomicInteger calls = new AtomicInteger();
        UnraisableHook hook = new UnraisableHook() {
            @Override
            public void handle(UnraisableHookArgs args) {
                calls.incrementAndGet();
                throw hookFailure;
            }

            @Override
            public String toString() {
                return "<failing hook>";
            }
        };
        Unraisable.setHook(hook);

        String err = TestHooks.captureErr(() ->
                assertDoesNotThrow(() -> Unraisable.report(new IllegalArgumentException("42"), "custom hook fail", null)));

        assertEquals(1, calls.get());
        String expected = "Exception ignored in sys.unraisablehook: " + hook + NL
                + TestHooks.stackTraceText(hookFailure);
        assertTrue(err.contains(expected), () -> "expected:\n" + expected + "\nin:\n" + err);
        assertTrue(err.startsWith("Exception ignored in sys.unraisablehook: <failing hook>" + NL), err);
        assertSame(hook, Unraisable.getHook(), "the failing hook stays installed");
    }

    @Test
    void aHookThrowingAnErrorIsReportedToo() throws Exception {
        StackOverflowError hookFailure = new StackOverflowError("deep");
        UnraisableHook hook = args -> {
            throw hookFailure;
        };
        Unraisable.setHook(hook);

        String err = TestHooks.captureErr(() ->
                assertDoesNotThrow(() -> Unraisable.report(new IllegalArgumentException("x"), "msg", null)));

        assertEquals("Exception ignored in sys.unraisablehook: " + hook + NL + TestHooks.stackTraceText(hookFailure),
                err);
    }

    @Test
    void defaultHookWritesMessageObjectAndStackTrace() throws Exception {
        IllegalArgumentException exc = new IllegalArgumentException("42");
        Object object = named("an object");

        String err = TestHooks.captureErr(() -> Unraisable.report(exc, "Exception ignored original hook", object));

        assertEquals("Exception ignored original hook: an object" + NL + TestHooks.stackTraceText(exc), err);
    }

    @Test
    void defaultHookCalledDirectlyWritesTheSame() throws Exception {
        IllegalArgumentException exc = new IllegalArgumentException("direct");
        UnraisableHookArgs args = new UnraisableHookArgs(IllegalArgumentException.class, exc, exc.getStackTrace(),
                "Exception ignored direct", named("obj"));

        String err = TestHooks.captureErr(() -> Unraisable.DEFAULT_HOOK.handle(args));

        assertEquals("Exception ignored direct: obj" + NL + TestHooks.stackTraceText(exc), err);
    }

    @Test
    void defaultHookWithNullObjectWritesJustTheMessage() throws Exception {
        IllegalStateException exc = new IllegalStateException("no object");

        String err = TestHooks.captureErr(() -> Unraisable.report(exc, "Exception ignored here", null));

        assertEquals("Exception ignored here" + NL + TestHooks.stackTraceText(exc), err);
    }

    @Test
    void defaultHookWithNullMessageWritesExceptionIgnoredIn() throws Exception {
        IllegalStateException exc = new IllegalStateException("no message");

        String withObject = TestHooks.captureErr(() -> Unraisable.report(exc, null, named("thing")));
        String withoutObject = TestHooks.captureErr(() -> Unraisable.report(exc, null, null));

        assertEquals("Exception ignored in: thing" + NL + TestHooks.stackTraceText(exc), withObject);
        assertEquals("Exception ignored in" + NL + TestHooks.stackTraceText(exc), withoutObject);
    }

    @Test
    void defaultHookWithBrokenToStringWritesPlaceholder() throws Exception {
        IllegalStateException exc = new IllegalStateException("broken repr");
        Object broken = new Object() {
            @Override
            public String toString() {
                throw new UnsupportedOperationException("repr() is broken");
            }
        };

        String err = TestHooks.captureErr(() -> Unraisable.report(exc, "Exception ignored in", broken));

        assertEquals("Exception ignored in: <object repr() failed>" + NL + TestHooks.stackTraceText(exc), err);
    }

    /** An exception whose {@code toString()} (Python's {@code str()}) fails. */
    private static final class BrokenStrException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        @Override
        public String toString() {
            throw new IllegalStateException("str() is broken");
        }
    }

    @Test
    void defaultHookWithBrokenExceptionToStringWritesPlaceholder() throws Exception {
        BrokenStrException exc = new BrokenStrException();

        String err = assertDoesNotThrow(() -> TestHooks.captureErr(() -> Unraisable.report(exc, "msg", named("o"))));

        assertTrue(err.startsWith("msg: o" + NL), err);
        assertTrue(err.contains(BrokenStrException.class.getName() + ": <exception str() failed>" + NL), err);
    }

    @Test
    void aReportFromInsideTheHookGoesToTheDefaultHook() throws Exception {
        IllegalArgumentException outer = new IllegalArgumentException("outer");
        IllegalStateException inner = new IllegalStateException("inner");
        AtomicInteger calls = new AtomicInteger();
        AtomicBoolean finished = new AtomicBoolean();
        Unraisable.setHook(args -> {
            calls.incrementAndGet();
            Unraisable.report(inner, "Exception ignored inside the hook", named("inner object"));
            finished.set(true);
        });

        String err = TestHooks.captureErr(() -> assertDoesNotThrow(() -> Unraisable.report(outer, "outer msg", null)));

        assertEquals(1, calls.get(), "the hook is not called again for the inner report");
        assertTrue(finished.get(), "the outer hook call completed");
        assertEquals("Exception ignored inside the hook: inner object" + NL + TestHooks.stackTraceText(inner), err);
    }

    @Test
    void theHookIsCalledAgainForTheNextReport() {
        RecordingHook hook = new RecordingHook();
        Unraisable.setHook(args -> {
            hook.handle(args);
            if (hook.calls.size() == 1) {
                throw new IllegalStateException("first call fails");
            }
        });
        IllegalArgumentException first = new IllegalArgumentException("1");
        IllegalArgumentException second = new IllegalArgumentException("2");

        try {
            TestHooks.captureErr(() -> Unraisable.report(first, "m", null));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        Unraisable.report(second, "m", null);

        assertEquals(2, hook.calls.size(), "a failed or nested report leaves no state behind");
        assertSame(second, hook.calls.get(1).excValue());
    }

    @Test
    void anAuditHookRejectingTheEventKeepsTheHookFromBeingCalled() throws Exception {
        IllegalArgumentException exc = new IllegalArgumentException("original");
        IllegalStateException auditFailure = new IllegalStateException("audit hook says no");
        RecordingHook hook = new RecordingHook();
        Unraisable.setHook(hook);
        String err;
        try (TestHooks.Recorder recorder = TestHooks.record("sys.unraisablehook")) {
            recorder.then((event, args) -> {
                if (isAbout(args, exc)) {
                    throw auditFailure;
                }
            });
            err = TestHooks.captureErr(() ->
                    assertDoesNotThrow(() -> Unraisable.report(exc, "Exception ignored in original", named("obj"))));
            assertEquals(1, recorder.events("sys.unraisablehook", a -> isAbout(a, exc)).size());
        }

        assertTrue(hook.calls.isEmpty(), "the installed hook is not called: " + hook.calls);
        String original = "Exception ignored in original: obj" + NL + TestHooks.stackTraceText(exc);
        String audit = "Exception ignored in audit hook" + NL + TestHooks.stackTraceText(auditFailure);
        assertTrue(err.contains(original), () -> "expected:\n" + original + "\nin:\n" + err);
        assertTrue(err.contains(audit), () -> "expected:\n" + audit + "\nin:\n" + err);
    }

    @Test
    void reportOfNullThrowsNullPointerException() {
        RecordingHook hook = new RecordingHook();
        Unraisable.setHook(hook);
        assertThrows(NullPointerException.class, () -> Unraisable.report(null, "msg", "obj"));
        assertTrue(hook.calls.isEmpty());
    }

    @Test
    void reportFromManyThreadsCallsTheHookOncePerReport() throws Exception {
        RecordingHook hook = new RecordingHook();
        Unraisable.setHook(hook);
        int threads = 8;
        Thread[] workers = new Thread[threads];
        for (int i = 0; i < threads; i++) {
            int n = i;
            workers[i] = new Thread(() -> Unraisable.report(new RuntimeException("r" + n), "m", n));
            workers[i].start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        assertEquals(threads, hook.calls.size());
        boolean[] seen = new boolean[threads];
        for (UnraisableHookArgs args : hook.calls) {
            int n = (Integer) args.object();
            assertFalse(seen[n], "report " + n + " twice");
            seen[n] = true;
            assertEquals("r" + n, args.excValue().getMessage());
        }
    }
}
