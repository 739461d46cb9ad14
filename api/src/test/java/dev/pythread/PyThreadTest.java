package dev.pythread;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.pythread.Unraisable.UnraisableHook;
import dev.pythread.Unraisable.UnraisableHookArgs;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link PyThread}, the module functions of {@code _thread}: after CPython's {@code ThreadRunningTests} (thread
 * start, identifiers, stack size, unraisable exceptions) and the {@code _thread} parts of its audit tests.
 */
@Timeout(60)
class PyThreadTest {

    private static final String START_EVENT = "_thread.start_new_thread";
    private static final String UNRAISABLE_EVENT = "sys.unraisablehook";
    private static final String NL = System.lineSeparator();

    /** Long enough for anything that should happen; the tests wait this long only when something is wrong. */
    private static final long WAIT_SECONDS = 30;

    @BeforeAll
    static void installRecordingHook() {
        TestHooks.install();
    }

    @AfterEach
    void restoreModuleState() {
        Unraisable.setHook(null);
        PyThread.stackSize(0);
    }

    private static void await(CountDownLatch latch, String what) throws InterruptedException {
        assertTrue(latch.await(WAIT_SECONDS, TimeUnit.SECONDS), "timed out waiting for: " + what);
    }

    private static void join(AtomicReference<Thread> thread) throws InterruptedException {
        Thread t = thread.get();
        assertNotNull(t, "the thread ran");
        t.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        assertFalse(t.isAlive(), "thread " + t.getName() + " ended");
    }

    /** The names of the live threads called {@code pythread-*}. */
    private static Set<Thread> livePyThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("pythread-"))
                .collect(Collectors.toSet());
    }

    /** An unraisable hook that records what it gets and counts down a latch per call. */
    private static final class RecordingHook implements UnraisableHook {
        final List<UnraisableHookArgs> calls = new CopyOnWriteArrayList<>();
        final CountDownLatch called = new CountDownLatch(1);

        @Override
        public void handle(UnraisableHookArgs args) {
            calls.add(args);
            called.countDown();
        }
    }

    /** What a started function saw. */
    private static final class Seen {
        final CountDownLatch done = new CountDownLatch(1);
        final AtomicReference<Thread> thread = new AtomicReference<>();
        final AtomicReference<Object[]> args = new AtomicReference<>();
        final AtomicReference<Map<String, Object>> kwargs = new AtomicReference<>();
        final AtomicLong ident = new AtomicLong();
        final AtomicReference<Object> firstArg = new AtomicReference<>();

        void record(Object[] a, Map<String, Object> kw) {
            thread.set(Thread.currentThread());
            args.set(a);
            kwargs.set(kw);
            firstArg.set(a.length > 0 ? a[0] : null);
            ident.set(PyThread.getIdent());
        }
    }

    /** Waits for the started function, then checks its thread: new, a daemon, {@code pythread-*}, the returned id. */
    private static void assertStartedThread(Seen seen, long returnedId) throws InterruptedException {
        await(seen.done, "the function to run");
        Thread thread = seen.thread.get();
        assertNotSame(Thread.currentThread(), thread, "the function runs in a new thread");
        assertTrue(thread.isDaemon(), "the new thread is a daemon");
        assertTrue(thread.getName().startsWith("pythread-"), thread.getName());
        assertNotEquals(0, returnedId, "the identifier is nonzero");
        assertEquals(seen.ident.get(), returnedId, "returned id == get_ident() in the thread");
        assertNotEquals(PyThread.getIdent(), returnedId, "differs from the caller's identifier");
        join(seen.thread);
    }

    /**
     * {@code start_new_thread}: the function runs in a new daemon thread with its own copy of the arguments, and every
     * thread has its own identifier.
     */
    @Nested
    class StartingThreads {

        @Test
        void startNewThreadCallsTheFunctionWithArgsInANewDaemonThread() throws Exception {
            Seen seen = new Seen();
            Object arg0 = new Object();
            Object[] args = {arg0, "two", 3};
            long id = PyThread.startNewThread((a, kw) -> {
                seen.record(a, kw);
                seen.done.countDown();
            }, args);

            assertStartedThread(seen, id);
            assertArrayEquals(args, seen.args.get());
            assertSame(arg0, seen.args.get()[0], "the arguments themselves are not copied");
            assertNotNull(seen.kwargs.get(), "no kwargs → an empty map, not null");
            assertTrue(seen.kwargs.get().isEmpty());
        }

        @Test
        void startNewThreadWithKwargs() throws Exception {
            Seen seen = new Seen();
            Map<String, Object> kwargs = new LinkedHashMap<>();
            kwargs.put("name", "value");
            kwargs.put("n", 42);
            long id = PyThread.startNewThread((a, kw) -> {
                seen.record(a, kw);
                seen.done.countDown();
            }, new Object[] {"x"}, kwargs);

            assertStartedThread(seen, id);
            assertArrayEquals(new Object[] {"x"}, seen.args.get());
            assertEquals(Map.of("name", "value", "n", 42), seen.kwargs.get());
        }

        @Test
        void startNewThreadWithNullKwargsGivesAnEmptyMap() throws Exception {
            Seen seen = new Seen();
            long id = PyThread.startNewThread((a, kw) -> {
                seen.record(a, kw);
                seen.done.countDown();
            }, new Object[0], null);

            assertStartedThread(seen, id);
            assertEquals(0, seen.args.get().length);
            assertNotNull(seen.kwargs.get());
            assertTrue(seen.kwargs.get().isEmpty());
        }

        @Test
        void startNewThreadWithRunnable() throws Exception {
            Seen seen = new Seen();
            long id = PyThread.startNewThread(() -> {
                seen.record(new Object[0], Collections.emptyMap());
                seen.done.countDown();
            });

            assertStartedThread(seen, id);
        }

        @Test
        void theFunctionGetsACopyOfArgsAndKwargs() throws Exception {
            CountDownLatch mutated = new CountDownLatch(1);
            Seen seen = new Seen();
            AtomicReference<Object> kwargAfter = new AtomicReference<>();
            AtomicReference<Object> argAfter = new AtomicReference<>();
            AtomicBoolean kwargsReadOnly = new AtomicBoolean();
            Object[] args = {"original", "second"};
            Map<String, Object> kwargs = new LinkedHashMap<>();
            kwargs.put("key", "original");

            long id = PyThread.startNewThread((a, kw) -> {
                seen.record(a, kw);
                try {
                    mutated.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                argAfter.set(a[0]);
                kwargAfter.set(kw.get("key") + "/" + kw.containsKey("added"));
                try {
                    kw.put("from-thread", 1);
                } catch (UnsupportedOperationException expected) {
                    kwargsReadOnly.set(true);
                }
                seen.done.countDown();
            }, args, kwargs);
            args[0] = "changed";
            kwargs.put("key", "changed");
            kwargs.put("added", true);
            mutated.countDown();

            assertStartedThread(seen, id);
            assertNotSame(args, seen.args.get(), "the function gets its own array");
            assertEquals("original", argAfter.get(), "changing the caller's array after the start is not seen");
            assertEquals("original/false", kwargAfter.get(),
                    "changing the caller's kwargs after the start is not seen");
            assertTrue(kwargsReadOnly.get(), "kwargs is read-only");
            assertEquals(Map.of("key", "changed", "added", true), kwargs, "the caller's map is untouched");
        }

        @Test
        void theFunctionCannotChangeTheCallersArray() throws Exception {
            Seen seen = new Seen();
            Object[] args = {"mine"};
            long id = PyThread.startNewThread((a, kw) -> {
                a[0] = "theirs";
                seen.record(a, kw);
                seen.done.countDown();
            }, args);

            assertStartedThread(seen, id);
            assertEquals("mine", args[0]);
        }

        @Test
        void manyThreadsHaveDistinctNonzeroIdentifiers() throws Exception {
            int count = 120;
            CountDownLatch allRunning = new CountDownLatch(count);
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch allDone = new CountDownLatch(count);
            Map<Integer, Long> identInThread = new ConcurrentHashMap<>();
            long[] returned = new long[count];
            long mine = PyThread.getIdent();
            try {
                for (int i = 0; i < count; i++) {
                    returned[i] = PyThread.startNewThread((a, kw) -> {
                        try {
                            identInThread.put((Integer) a[0], PyThread.getIdent());
                            allRunning.countDown();
                            release.await();
                        } finally {
                            allDone.countDown();
                        }
                    }, new Object[] {i});
                }
                await(allRunning, "all threads to run");
            } finally {
                release.countDown();
            }
            await(allDone, "all threads to finish");

            assertNotEquals(0, mine);
            assertEquals(mine, PyThread.getIdent(), "get_ident() is stable");
            assertEquals(count, identInThread.size());
            Set<Long> distinct = new HashSet<>();
            for (int i = 0; i < count; i++) {
                long ident = identInThread.get(i);
                assertNotEquals(0, ident);
                assertEquals(ident, returned[i], "thread " + i + ": returned id == get_ident() in it");
                assertNotEquals(mine, ident, "thread " + i + " vs the test thread");
                assertTrue(distinct.add(ident), "identifier " + ident + " used twice");
            }
        }

        @Test
        void getIdentOfTheCurrentThread() {
            long ident = PyThread.getIdent();
            assertNotEquals(0, ident);
            assertEquals(ident, PyThread.getIdent());
            assertEquals(Thread.currentThread().getId(), ident, "the JVM's thread identifier");
        }
    }

    /**
     * The {@code _thread.start_new_thread} audit event: raised first, with the caller's arguments; a hook can veto the
     * start.
     */
    @Nested
    class AuditEvent {

        @Test
        void startNewThreadRaisesTheAuditEventFirstWithFunctionArgsKwargs() throws Exception {
            CountDownLatch done = new CountDownLatch(3);
            Object[] args = {"a"};
            Map<String, Object> kwargs = Map.of("k", "v");
            PyFunction withKwargs = (a, kw) -> done.countDown();
            PyFunction withoutKwargs = (a, kw) -> done.countDown();
            Runnable runnable = done::countDown;

            try (TestHooks.Recorder recorder = TestHooks.record(START_EVENT)) {
                PyThread.startNewThread(withKwargs, args, kwargs);
                PyThread.startNewThread(withoutKwargs, args);
                PyThread.startNewThread(runnable);
                await(done, "the three functions");

                List<TestHooks.Event> first = recorder.events(START_EVENT, a -> a[0] == withKwargs);
                List<TestHooks.Event> second = recorder.events(START_EVENT, a -> a[0] == withoutKwargs);
                List<TestHooks.Event> third = recorder.events(START_EVENT, a -> a[0] == runnable);
                assertEquals(1, first.size(), "one event per start");
                assertEquals(1, second.size(), "one event per start");
                assertEquals(1, third.size(), "one event per start");

                Object[] e1 = first.get(0).args();
                assertEquals(3, e1.length);
                assertSame(withKwargs, e1[0]);
                assertSame(args, e1[1], "the caller's args array itself");
                assertSame(kwargs, e1[2], "the caller's kwargs itself");

                Object[] e2 = second.get(0).args();
                assertEquals(3, e2.length);
                assertSame(withoutKwargs, e2[0]);
                assertSame(args, e2[1]);
                assertNull(e2[2], "kwargs is None when not given");

                Object[] e3 = third.get(0).args();
                assertEquals(3, e3.length);
                assertSame(runnable, e3[0]);
                assertInstanceOf(Object[].class, e3[1]);
                assertEquals(0, ((Object[]) e3[1]).length, "a Runnable gets an empty args tuple");
                assertNull(e3[2]);

                for (TestHooks.Event event : List.of(first.get(0), second.get(0), third.get(0))) {
                    assertSame(Thread.currentThread(), event.thread(), "raised in the calling thread");
                }
            }
        }

        @Test
        void theAuditEventComesBeforeTheFunctionRuns() throws Exception {
            CountDownLatch done = new CountDownLatch(1);
            AtomicBoolean ranAtEventTime = new AtomicBoolean(true);
            AtomicBoolean ran = new AtomicBoolean();
            AtomicReference<TestHooks.Recorder> recorderRef = new AtomicReference<>();
            AtomicReference<Integer> eventsWhenRunning = new AtomicReference<>();
            PyFunction function = new PyFunction() {
                @Override
                public void call(Object[] args, Map<String, Object> kwargs) {
                    ran.set(true);
                    eventsWhenRunning.set(recorderRef.get().events(START_EVENT, a -> a[0] == this).size());
                    done.countDown();
                }
            };
            try (TestHooks.Recorder recorder = TestHooks.record(START_EVENT)) {
                recorderRef.set(recorder);
                recorder.then((event, a) -> {
                    if (a[0] == function) {
                        ranAtEventTime.set(ran.get());
                    }
                });
                PyThread.startNewThread(function, new Object[0]);
                await(done, "the function");
            }
            assertFalse(ranAtEventTime.get(), "the event is raised before the function runs");
            assertEquals(1, eventsWhenRunning.get(), "when the function runs, its event was already raised");
        }

        @Test
        void aVetoingAuditHookPreventsTheStart() throws Exception {
            CountDownLatch ran = new CountDownLatch(1);
            PyFunction function = (a, kw) -> ran.countDown();
            Runnable runnable = ran::countDown;
            IllegalStateException veto = new IllegalStateException("no");
            Set<Thread> before = livePyThreads();

            try (TestHooks.Recorder recorder = TestHooks.record(START_EVENT)) {
                recorder.then((event, a) -> {
                    if (a[0] == function || a[0] == runnable) {
                        throw veto;
                    }
                });
                IllegalStateException e1 = assertThrows(IllegalStateException.class,
                        () -> PyThread.startNewThread(function, new Object[0]));
                IllegalStateException e2 = assertThrows(IllegalStateException.class,
                        () -> PyThread.startNewThread(function, new Object[] {1}, Map.of("k", 2)));
                IllegalStateException e3 = assertThrows(IllegalStateException.class,
                        () -> PyThread.startNewThread(runnable));
                assertSame(veto, e1, "the hook's exception propagates as is");
                assertSame(veto, e2);
                assertSame(veto, e3);
                assertEquals("no", e1.getMessage());
                assertEquals(3, recorder.events(START_EVENT, a -> a[0] == function || a[0] == runnable).size());
            }

            assertFalse(ran.await(300, TimeUnit.MILLISECONDS), "a vetoed function never runs");
            Set<Thread> appeared = livePyThreads();
            appeared.removeAll(before);
            assertTrue(appeared.isEmpty(), "no new pythread- thread: " + appeared);
        }

        @Test
        void nullFunctionOrArgsThrowWithoutAnAuditEvent() {
            try (TestHooks.Recorder recorder = TestHooks.record(START_EVENT)) {
                Thread me = Thread.currentThread();
                NullPointerException e1 = assertThrows(NullPointerException.class,
                        () -> PyThread.startNewThread((PyFunction) null, new Object[0]));
                NullPointerException e2 = assertThrows(NullPointerException.class,
                        () -> PyThread.startNewThread((PyFunction) null, new Object[0], Map.of()));
                NullPointerException e3 = assertThrows(NullPointerException.class,
                        () -> PyThread.startNewThread((Runnable) null));
                NullPointerException e4 = assertThrows(NullPointerException.class,
                        () -> PyThread.startNewThread((PyFunction) null, null));
                NullPointerException e5 = assertThrows(NullPointerException.class,
                        () -> PyThread.startNewThread((a, kw) -> { }, null));
                NullPointerException e6 = assertThrows(NullPointerException.class,
                        () -> PyThread.startNewThread((a, kw) -> { }, null, Map.of()));
                NullPointerException e7 = assertThrows(NullPointerException.class,
                        () -> PyThread.startNewThread((a, kw) -> { }, null, null));

                assertEquals("first arg must be callable", e1.getMessage());
                assertEquals("first arg must be callable", e2.getMessage());
                assertEquals("first arg must be callable", e3.getMessage());
                assertEquals("first arg must be callable", e4.getMessage(), "the function is checked first");
                assertEquals("2nd arg must be a tuple", e5.getMessage());
                assertEquals("2nd arg must be a tuple", e6.getMessage());
                assertEquals("2nd arg must be a tuple", e7.getMessage());
                assertTrue(recorder.events().stream().noneMatch(e -> e.thread() == me),
                        () -> "no audit event: " + recorder.events());
            }
        }
    }

    /**
     * How a started thread ends: returning and {@code exit()} are silent, an exception goes to the unraisable hook
     * once.
     */
    @Nested
    class HowAThreadEnds {

        @Test
        void aFunctionThatReturnsIsNotReported() throws Exception {
            assertSilentEnd((a, kw) -> { });
        }

        @Test
        void exitInsideTheFunctionEndsTheThreadSilently() throws Exception {
            AtomicBoolean after = new AtomicBoolean();
            assertSilentEnd((a, kw) -> {
                PyThread.exit();
                after.set(true);
            });
            assertFalse(after.get(), "exit() does not return");
        }

        @Test
        void systemExitIsSilent() throws Exception {
            assertSilentEnd((a, kw) -> {
                throw new SystemExit();
            });
            assertSilentEnd((a, kw) -> {
                throw new SystemExit(3);
            });
        }

        @Test
        void exitInARunnableIsSilent() throws Exception {
            RecordingHook hook = new RecordingHook();
            Unraisable.setHook(hook);
            AtomicReference<Thread> thread = new AtomicReference<>();
            String err = TestHooks.captureErr(() -> {
                PyThread.startNewThread(() -> {
                    thread.set(Thread.currentThread());
                    PyThread.exit();
                });
                waitForThread(thread);
                join(thread);
            });
            assertTrue(hook.calls.isEmpty(), () -> "no unraisable report: " + hook.calls);
            assertEquals("", err);
        }

        private static void waitForThread(AtomicReference<Thread> thread) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            while (thread.get() == null) {
                assertTrue(System.nanoTime() < deadline, "the thread never ran");
                Thread.sleep(1);
            }
        }

        /** Runs the function in a new thread with a recording hook, then with the default one, and checks silence. */
        private static void assertSilentEnd(PyFunction body) throws Exception {
            RecordingHook hook = new RecordingHook();
            Unraisable.setHook(hook);
            AtomicReference<Thread> thread = new AtomicReference<>();
            PyThread.startNewThread((a, kw) -> {
                thread.set(Thread.currentThread());
                body.call(a, kw);
            }, new Object[0]);
            waitForThread(thread);
            join(thread);
            assertTrue(hook.calls.isEmpty(), () -> "no unraisable report: " + hook.calls);

            Unraisable.setHook(null);
            AtomicReference<Thread> second = new AtomicReference<>();
            String err = TestHooks.captureErr(() -> {
                PyThread.startNewThread((a, kw) -> {
                    second.set(Thread.currentThread());
                    body.call(a, kw);
                }, new Object[0]);
                waitForThread(second);
                join(second);
            });
            assertEquals("", err, "nothing printed");
        }

        @Test
        void anExceptionInTheFunctionIsReportedOnce() throws Exception {
            RecordingHook hook = new RecordingHook();
            Unraisable.setHook(hook);
            IllegalArgumentException failure = new IllegalArgumentException("task failed");
            AtomicReference<Thread> thread = new AtomicReference<>();
            PyFunction task = (a, kw) -> {
                thread.set(Thread.currentThread());
                throw failure;
            };
            try (TestHooks.Recorder recorder = TestHooks.record(UNRAISABLE_EVENT)) {
                PyThread.startNewThread(task, new Object[0]);
                await(hook.called, "the unraisable hook");
                join(thread);

                List<TestHooks.Event> events = recorder.events(UNRAISABLE_EVENT,
                        a -> a.length == 2 && a[1] instanceof UnraisableHookArgs
                                && ((UnraisableHookArgs) a[1]).excValue() == failure);
                assertEquals(1, events.size(), "one sys.unraisablehook event");
                assertSame(thread.get(), events.get(0).thread(), "reported in the failing thread");
            }

            assertEquals(1, hook.calls.size(), "reported exactly once");
            UnraisableHookArgs args = hook.calls.get(0);
            assertSame(IllegalArgumentException.class, args.excType());
            assertSame(failure, args.excValue());
            assertArrayEquals(failure.getStackTrace(), args.excTraceback());
            assertEquals("Exception ignored in thread started by", args.errMsg());
            assertSame(task, args.object(), "the object is the function");
        }

        @Test
        void aCheckedExceptionAndAnErrorAreReportedToo() throws Exception {
            for (Throwable failure : new Throwable[] {new IOException("checked"), new AssertionError("an error")}) {
                RecordingHook hook = new RecordingHook();
                Unraisable.setHook(hook);
                AtomicReference<Thread> thread = new AtomicReference<>();
                PyFunction task = (a, kw) -> {
                    thread.set(Thread.currentThread());
                    if (failure instanceof Exception) {
                        throw (Exception) failure;
                    }
                    throw (Error) failure;
                };
                PyThread.startNewThread(task, new Object[0]);
                await(hook.called, "the unraisable hook");
                join(thread);
                assertEquals(1, hook.calls.size());
                assertSame(failure, hook.calls.get(0).excValue());
                assertSame(failure.getClass(), hook.calls.get(0).excType());
                assertSame(task, hook.calls.get(0).object());
            }
        }

        @Test
        void anExceptionInARunnableIsReportedWithTheRunnable() throws Exception {
            RecordingHook hook = new RecordingHook();
            Unraisable.setHook(hook);
            IllegalStateException failure = new IllegalStateException("runnable failed");
            AtomicReference<Thread> thread = new AtomicReference<>();
            Runnable task = () -> {
                thread.set(Thread.currentThread());
                throw failure;
            };
            PyThread.startNewThread(task);
            await(hook.called, "the unraisable hook");
            join(thread);

            assertEquals(1, hook.calls.size());
            UnraisableHookArgs args = hook.calls.get(0);
            assertSame(IllegalStateException.class, args.excType());
            assertSame(failure, args.excValue());
            assertArrayEquals(failure.getStackTrace(), args.excTraceback());
            assertEquals("Exception ignored in thread started by", args.errMsg());
            assertSame(task, args.object(), "the object is the runnable");
        }

        @Test
        void theDefaultHookPrintsTheThreadsException() throws Exception {
            IllegalArgumentException failure = new IllegalArgumentException("printed");
            AtomicReference<Thread> thread = new AtomicReference<>();
            PyFunction task = new PyFunction() {
                @Override
                public void call(Object[] args, Map<String, Object> kwargs) {
                    thread.set(Thread.currentThread());
                    throw failure;
                }

                @Override
                public String toString() {
                    return "<function task>";
                }
            };
            String err = TestHooks.captureErr(() -> {
                PyThread.startNewThread(task, new Object[0]);
                waitForThread(thread);
                join(thread);
            });

            String expected = "Exception ignored in thread started by: " + task + NL
                    + TestHooks.stackTraceText(failure);
            assertTrue(err.contains(expected), () -> "expected:\n" + expected + "\nin:\n" + err);
            assertEquals(1, TestHooks.occurrences(err, "Exception ignored in thread started by"), err);
            assertTrue(err.startsWith("Exception ignored in thread started by: <function task>" + NL), err);
        }

        @Test
        void otherThreadsGoOnAfterOneFails() throws Exception {
            RecordingHook hook = new RecordingHook();
            Unraisable.setHook(hook);
            CountDownLatch survivorRunning = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch survivorDone = new CountDownLatch(1);
            PyThread.startNewThread((a, kw) -> {
                survivorRunning.countDown();
                release.await();
                survivorDone.countDown();
            }, new Object[0]);
            await(survivorRunning, "the surviving thread");
            PyThread.startNewThread((a, kw) -> {
                throw new IllegalStateException("one fails");
            }, new Object[0]);
            await(hook.called, "the report");
            release.countDown();
            await(survivorDone, "the surviving thread to finish its work");
            assertEquals(1, hook.calls.size());
        }

        @Test
        void exitThrowsSystemExitWhichIsAnError() {
            SystemExit exit = assertThrows(SystemExit.class, PyThread::exit);
            Object asObject = exit;
            assertTrue(asObject instanceof Error, "SystemExit is an Error");
            assertFalse(asObject instanceof Exception, "SystemExit is not an Exception");
            assertNull(exit.code(), "a bare SystemExit has no code");
            try {
                try {
                    PyThread.exit();
                } catch (Exception wronglyCaught) {
                    fail("catch (Exception) must not catch SystemExit");
                }
                fail("exit() returned");
            } catch (SystemExit expected) {
                // as in Python, only a handler for SystemExit (BaseException) catches it
            }
        }
    }

    /** A thread the JVM cannot create is a {@link ThreadError}. */
    @Nested
    class ThreadCreationFailure {

        @Test
        void aThreadTheJvmCannotCreateIsAThreadError() throws Exception {
            AtomicBoolean ran = new AtomicBoolean();
            PyThread.stackSize(1L << 46); // 64 TiB: pthread_create fails with EAGAIN
            ThreadError error;
            try {
                error = assertThrows(ThreadError.class, () -> PyThread.startNewThread((a, kw) -> ran.set(true),
                        new Object[0]));
            } finally {
                PyThread.stackSize(0);
            }
            assertEquals("can't start new thread", error.getMessage());
            assertInstanceOf(OutOfMemoryError.class, error.getCause(), "chained to the JVM's OutOfMemoryError");
            assertFalse(ran.get());

            Seen seen = new Seen();
            long id = PyThread.startNewThread((a, kw) -> {
                seen.record(a, kw);
                seen.done.countDown();
            }, new Object[0]);
            assertStartedThread(seen, id);
        }
    }

    /** {@code stack_size()}: its default, the values it rejects, and threads that use it. */
    @Nested
    class StackSize {

        @Test
        void stackSizeIsInitiallyZero() {
            assertEquals(0, PyThread.stackSize(), "initial stack size is 0");
            assertEquals(0, PyThread.stackSize(0));
            assertEquals(0, PyThread.stackSize(), "stack_size(0) keeps the default");
        }

        @Test
        void invalidStackSizesAreRejectedAndChangeNothing() {
            PyThread.stackSize(262_144);

            IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                    () -> PyThread.stackSize(-1));
            assertEquals("size must be 0 or a positive value", negative.getMessage());
            assertEquals(262_144, PyThread.stackSize());

            IllegalArgumentException veryNegative = assertThrows(IllegalArgumentException.class,
                    () -> PyThread.stackSize(Long.MIN_VALUE));
            assertEquals("size must be 0 or a positive value", veryNegative.getMessage());

            IllegalArgumentException one = assertThrows(IllegalArgumentException.class, () -> PyThread.stackSize(1));
            assertEquals("size not valid: 1 bytes", one.getMessage());
            assertEquals(262_144, PyThread.stackSize());

            IllegalArgumentException page = assertThrows(IllegalArgumentException.class,
                    () -> PyThread.stackSize(4096));
            assertEquals("size not valid: 4096 bytes", page.getMessage());

            IllegalArgumentException justBelow = assertThrows(IllegalArgumentException.class,
                    () -> PyThread.stackSize(32_767));
            assertEquals("size not valid: 32767 bytes", justBelow.getMessage());
            assertEquals(262_144, PyThread.stackSize(), "an invalid size leaves the setting unchanged");
        }

        @Test
        void stackSizeRoundTrips() {
            assertEquals(0, PyThread.stackSize(32_768), "the minimum is accepted, returns the previous value");
            assertEquals(32_768, PyThread.stackSize());
            assertEquals(32_768, PyThread.stackSize(262_144));
            assertEquals(262_144, PyThread.stackSize(1 << 20));
            assertEquals(1 << 20, PyThread.stackSize());
            assertEquals(1 << 20, PyThread.stackSize(0));
            assertEquals(0, PyThread.stackSize());
        }

        @Test
        void threadsRunWithASetStackSize() throws Exception {
            for (long size : new long[] {262_144, 1 << 20, 32_768}) {
                PyThread.stackSize(size);
                int count = 10;
                CountDownLatch done = new CountDownLatch(count);
                AtomicLong depthSum = new AtomicLong();
                for (int i = 0; i < count; i++) {
                    PyThread.startNewThread((a, kw) -> {
                        depthSum.addAndGet(recurse((Integer) a[0]));
                        done.countDown();
                    }, new Object[] {size == 32_768 ? 10 : 1000});
                }
                await(done, count + " threads with stack size " + size);
                assertEquals(count * (size == 32_768 ? 10L : 1000L), depthSum.get());
            }
        }

        private static int recurse(int depth) {
            return depth == 0 ? 0 : 1 + recurse(depth - 1);
        }
    }

    /**
     * {@code get_native_id()} is the kernel's thread id, and {@code get_ident()} in a virtual thread is its thread id.
     */
    @Nested
    class NativeId {

        /** The thread ids in {@code /proc/self/task}. */
        private static Set<Long> taskIds() throws IOException {
            try (Stream<Path> tasks = Files.list(Paths.get("/proc/self/task"))) {
                return tasks.map(p -> Long.parseLong(p.getFileName().toString())).collect(Collectors.toSet());
            }
        }

        private static void assumeProcTasks() {
            Assumptions.assumeTrue(Files.isDirectory(Paths.get("/proc/self/task")), "needs Linux's /proc");
        }

        @Test
        void getNativeIdIsATaskOfThisProcessAndPrintsNothing() throws Exception {
            assumeProcTasks();
            long[] ids = new long[2];
            String output = TestHooks.captureOutAndErr(() -> {
                ids[0] = PyThread.getNativeId();
                ids[1] = PyThread.getNativeId();
            });
            assertEquals("", output, "get_native_id() prints no warning");
            assertTrue(ids[0] > 0, "nonnegative (and a real TID): " + ids[0]);
            assertEquals(ids[0], ids[1], "stable in one platform thread");
            assertTrue(taskIds().contains(ids[0]), ids[0] + " in /proc/self/task " + taskIds());
        }

        @Test
        void liveThreadsHaveDistinctNativeIds() throws Exception {
            assumeProcTasks();
            int count = 2;
            CountDownLatch ready = new CountDownLatch(count);
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch finished = new CountDownLatch(count);
            Map<Long, Long> nativeByIdent = new ConcurrentHashMap<>();
            Map<Long, String> nameByIdent = new ConcurrentHashMap<>();
            Map<Long, Long> secondCall = new ConcurrentHashMap<>();
            Map<Long, String> commByTid = new ConcurrentHashMap<>();
            Set<Long> tasksWhileAlive;
            try {
                for (int i = 0; i < count; i++) {
                    PyThread.startNewThread((a, kw) -> {
                        try {
                            long ident = PyThread.getIdent();
                            nameByIdent.put(ident, Thread.currentThread().getName());
                            nativeByIdent.put(ident, PyThread.getNativeId());
                            secondCall.put(ident, PyThread.getNativeId());
                            ready.countDown();
                            release.await();
                        } finally {
                            finished.countDown();
                        }
                    }, new Object[0]);
                }
                await(ready, "both threads");
                tasksWhileAlive = taskIds();
                // Read the kernel's thread names now: once the threads end, their /proc entries go.
                for (long tid : nativeByIdent.values()) {
                    Path comm = Paths.get("/proc/self/task/" + tid + "/comm");
                    commByTid.put(tid, new String(Files.readAllBytes(comm), StandardCharsets.UTF_8).trim());
                }
            } finally {
                release.countDown();
            }
            await(finished, "both threads to finish");

            assertEquals(count, nativeByIdent.size());
            Set<Long> natives = new HashSet<>(nativeByIdent.values());
            assertEquals(count, natives.size(), "distinct native ids: " + nativeByIdent);
            long mine = PyThread.getNativeId();
            for (Map.Entry<Long, Long> entry : nativeByIdent.entrySet()) {
                long tid = entry.getValue();
                assertTrue(tid > 0);
                assertEquals(tid, (long) secondCall.get(entry.getKey()), "stable in one thread");
                assertNotEquals(mine, tid, "not the test thread's");
                assertTrue(tasksWhileAlive.contains(tid), tid + " in /proc/self/task " + tasksWhileAlive);
                // The JVM names the kernel thread after the Java thread (truncated to 15 bytes): so the id is
                // that thread's TID, not some other number such as the JVM's identifier.
                String name = nameByIdent.get(entry.getKey());
                String expected = name.length() > 15 ? name.substring(0, 15) : name;
                assertEquals(expected, commByTid.get(tid), "the kernel thread " + tid + " is " + name);
            }
        }

        /** {@code Thread.startVirtualThread(Runnable)}, or {@code null} before JDK 21. */
        private static MethodHandle startVirtualThread() {
            try {
                return MethodHandles.publicLookup().findStatic(Thread.class, "startVirtualThread",
                        MethodType.methodType(Thread.class, Runnable.class));
            } catch (NoSuchMethodException | IllegalAccessException beforeJdk21) {
                return null;
            }
        }

        private static Thread startVirtual(Runnable body) throws Throwable {
            MethodHandle start = startVirtualThread();
            Assumptions.assumeTrue(start != null, "virtual threads need JDK 21+");
            return (Thread) start.invoke(body);
        }

        @Test
        void getNativeIdInAVirtualThreadIsItsCarriersTid() throws Throwable {
            assumeProcTasks();
            AtomicLong nativeId = new AtomicLong(-1);
            AtomicReference<Set<Long>> tasks = new AtomicReference<>();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            long mine = PyThread.getNativeId();
            Assumptions.assumeTrue(startVirtualThread() != null, "virtual threads need JDK 21+");
            String output = TestHooks.captureOutAndErr(() -> {
                Thread virtual;
                try {
                    virtual = startVirtual(() -> {
                        try {
                            nativeId.set(PyThread.getNativeId());
                            tasks.set(taskIds());
                        } catch (Throwable e) {
                            failure.set(e);
                        }
                    });
                } catch (Throwable e) {
                    throw new AssertionError(e);
                }
                virtual.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
                assertFalse(virtual.isAlive());
            });
            assertEquals("", output, "get_native_id() prints no warning in a virtual thread");
            assertNull(failure.get(), () -> "failed: " + failure.get());
            assertTrue(nativeId.get() > 0, "a TID: " + nativeId.get());
            assertTrue(tasks.get().contains(nativeId.get()), nativeId.get() + " in /proc/self/task " + tasks.get());
            assertNotEquals(mine, nativeId.get(), "the carrier is not the test thread");
        }

        @Test
        void getIdentInAVirtualThreadIsItsThreadId() throws Throwable {
            MethodHandle threadId;
            try {
                threadId = MethodHandles.publicLookup().findVirtual(Thread.class, "threadId",
                        MethodType.methodType(long.class));
            } catch (NoSuchMethodException beforeJdk19) {
                threadId = null;
            }
            AtomicLong ident = new AtomicLong();
            AtomicReference<Thread> self = new AtomicReference<>();
            Thread virtual = startVirtual(() -> {
                self.set(Thread.currentThread());
                ident.set(PyThread.getIdent());
            });
            virtual.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            assertFalse(virtual.isAlive());
            assertSame(virtual, self.get());
            assertNotEquals(0, ident.get());
            assertNotNull(threadId, "JDK 21+ has Thread.threadId()");
            assertEquals((long) threadId.invoke(virtual), ident.get(),
                    "get_ident() is the virtual thread's threadId()");
            assertNotEquals(PyThread.getIdent(), ident.get());
        }
    }

    /** The module's constant {@code TIMEOUT_MAX}. */
    @Nested
    class Constants {

        @Test
        void timeoutMaxIsLongMaxValueNanoseconds() {
            assertEquals(Long.MAX_VALUE / 1e9, PyThread.TIMEOUT_MAX);
            assertTrue(PyThread.TIMEOUT_MAX > 9.2e9, "about 292 years: " + PyThread.TIMEOUT_MAX);
            assertTrue((long) (PyThread.TIMEOUT_MAX * 1e9) == Long.MAX_VALUE, "converts back to Long.MAX_VALUE ns");
        }
    }
}
