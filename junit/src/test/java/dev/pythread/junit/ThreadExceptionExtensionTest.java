package dev.pythread.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.pythread.Unraisable;
import dev.pythread.Unraisable.UnraisableHook;
import dev.pythread.Unraisable.UnraisableHookArgs;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;
import org.opentest4j.AssertionFailedError;

/**
 * {@link ThreadExceptionExtension}, by running the classes of {@link ThreadSamples} with JUnit's
 * {@code EngineTestKit} and checking what JUnit reports: which tests and classes failed, with which error, message
 * and suppressed exceptions, and what was printed on stderr meanwhile.
 *
 * <p>Surefire runs this class twice: without and with pythread-agent ({@code -javaagent}, system property
 * {@code pythread.junit.test.agent=true}). The results are the same except where the agent makes the difference:
 * a thread with its own {@code UncaughtExceptionHandler}.
 */
@Timeout(120)
class ThreadExceptionExtensionTest {

    private static final boolean AGENT = Boolean.getBoolean("pythread.junit.test.agent");

    private static final String PREFIX = "dev.pythread.junit.ThreadSamples$";

    /** What one run of a sample gave: JUnit's events and everything written to {@code System.err} meanwhile. */
    private record Run(EngineExecutionResults results, String err) {
        Events tests() {
            return results.testEvents();
        }

        Events containers() {
            return results.containerEvents();
        }
    }

    @BeforeEach
    void clearSamples() {
        ThreadSamples.THROWN.clear();
        ThreadSamples.HANDLED.clear();
    }

    /**
     * Runs {@code sample} with the configuration parameters {@code keyValues} (key, value, key, value…). Checks
     * that the extension restored the unraisable hook and the default handler it found.
     */
    private static Run run(Class<?> sample, String... keyValues) {
        Map<String, String> parameters = new HashMap<>();
        parameters.put(ThreadSamples.RUN_SAMPLES, "true");
        // JUnit prunes the stack traces of what it reports, suppressed exceptions included; the tests compare them
        // with what the JVM printed when the thread died.
        parameters.put("junit.platform.stacktrace.pruning.enabled", "false");
        for (int i = 0; i < keyValues.length; i += 2) {
            parameters.put(keyValues[i], keyValues[i + 1]);
        }
        UnraisableHook hookBefore = Unraisable.getHook();
        Thread.UncaughtExceptionHandler handlerBefore = Thread.getDefaultUncaughtExceptionHandler();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream originalErr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        EngineExecutionResults results;
        try {
            results = EngineTestKit.engine("junit-jupiter")
                    .selectors(selectClass(sample))
                    .configurationParameters(parameters)
                    .execute();
        } finally {
            System.setErr(originalErr);
        }
        assertSame(hookBefore, Unraisable.getHook(), "the unraisable hook is restored");
        assertSame(handlerBefore, Thread.getDefaultUncaughtExceptionHandler(), "the default handler is restored");
        return new Run(results, err.toString(StandardCharsets.UTF_8));
    }

    /** The failure of the only failed event among {@code events}. */
    private static Throwable onlyFailure(Events events) {
        List<Event> failed = events.failed().list();
        assertEquals(1, failed.size(), () -> "one failure: " + failed);
        return failureOf(failed.get(0));
    }

    private static Throwable failureOf(Event event) {
        return event.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow();
    }

    /** The failures of the failed tests, by test method name. */
    private static Map<String, Throwable> failuresByTest(Events tests) {
        return tests.failed().stream().collect(Collectors.toMap(
                event -> event.getTestDescriptor().getDisplayName(), ThreadExceptionExtensionTest::failureOf));
    }

    /** What the JVM prints for a thread that dies with no handler: {@code Exception in thread "…" } + the trace. */
    private static String jvmReport(String threadName, Throwable exc) {
        StringWriter trace = new StringWriter();
        exc.printStackTrace(new PrintWriter(trace, true));
        return "Exception in thread \"" + threadName + "\" " + trace;
    }

    private static void assertThreadExceptionError(Throwable failure, String message, List<Throwable> suppressed) {
        assertInstanceOf(ThreadExceptionError.class, failure, () -> "failure: " + failure);
        assertEquals(message, failure.getMessage());
        assertEquals(suppressed, List.of(failure.getSuppressed()), "each thread's exception, suppressed, in order");
    }

    @Test
    void theAgentIsLoadedExactlyInTheAgentRun() {
        // The agent's copy of the API lives in the bootstrap loader: a run that meant to have the agent but lost it
        // would skip the agent-only tests silently without this.
        assertEquals(AGENT, Unraisable.class.getClassLoader() == null, "agent run: " + AGENT);
    }

    @Test
    void aTestWhoseThreadsEndNormallyPassesAndNothingIsPrinted() {
        Run run = run(ThreadSamples.PassingSample.class);

        run.tests().assertStatistics(stats -> stats.started(1).succeeded(1).failed(0));
        run.containers().assertStatistics(stats -> stats.started(2).succeeded(2).failed(0));
        assertEquals("", run.err());
    }

    @Test
    void aThreadDyingDuringATestFailsTheTestAndIsStillPrintedByTheJvm() {
        Run run = run(ThreadSamples.DyingSample.class);

        run.tests().assertStatistics(stats -> stats.started(1).succeeded(0).failed(1));
        run.containers().assertStatistics(stats -> stats.started(2).succeeded(2).failed(0));
        Throwable boom = ThreadSamples.THROWN.get(0);
        assertThreadExceptionError(onlyFailure(run.tests()),
                "1 exception in another thread during this test: \"worker-1\" java.lang.IllegalStateException: boom",
                List.of(boom));
        assertEquals(jvmReport("worker-1", boom), run.err(), "the JVM's own report, nothing else");
    }

    @Test
    void theMessageNamesEveryThreadInTheOrderTheyDied() {
        Run run = run(ThreadSamples.TwoDyingSample.class);

        run.tests().assertStatistics(stats -> stats.started(1).failed(1));
        assertThreadExceptionError(onlyFailure(run.tests()),
                "2 exceptions in other threads during this test: \"worker-1\" java.lang.IllegalStateException: boom; "
                        + "\"worker-2\" java.lang.IllegalArgumentException: bang",
                ThreadSamples.THROWN);
    }

    @Test
    void noneOfManyThreadsDyingAtOnceIsLost() {
        Run run = run(ThreadSamples.ManyDyingSample.class);

        run.tests().assertStatistics(stats -> stats.started(1).failed(1));
        Throwable failure = onlyFailure(run.tests());
        assertInstanceOf(ThreadExceptionError.class, failure);
        int threads = ThreadSamples.ManyDyingSample.THREADS;
        assertTrue(failure.getMessage().startsWith(threads + " exceptions in other threads during this test: "),
                failure.getMessage());
        assertEquals(threads, ThreadSamples.THROWN.size());
        // The order in which 50 threads die at once is the scheduler's: compare as identity sets.
        List<Throwable> suppressed = List.of(failure.getSuppressed());
        assertEquals(threads, suppressed.size());
        for (Throwable thrown : ThreadSamples.THROWN) {
            assertTrue(suppressed.stream().anyMatch(s -> s == thrown), () -> "missing " + thrown);
        }
    }

    @Test
    void aTestThatFailsItselfKeepsItsOwnFailureWithTheThreadsSuppressed() {
        Run run = run(ThreadSamples.FailingSample.class);

        run.tests().assertStatistics(stats -> stats.started(1).failed(1));
        Throwable failure = onlyFailure(run.tests());
        assertInstanceOf(AssertionFailedError.class, failure);
        assertEquals("the test's own failure", failure.getMessage());
        assertEquals(1, failure.getSuppressed().length, () -> List.of(failure.getSuppressed()).toString());
        assertThreadExceptionError(failure.getSuppressed()[0],
                "1 exception in another thread during this test: \"worker-1\" java.lang.IllegalStateException: boom",
                ThreadSamples.THROWN);
    }

    @Test
    void aThreadDyingAfterItsTestEndedFailsTheClassInAfterAll() {
        Run run = run(ThreadSamples.LateSample.class);

        run.tests().assertStatistics(stats -> stats.started(1).succeeded(1).failed(0));
        run.containers().assertStatistics(stats -> stats.started(2).succeeded(1).failed(1));
        Event failedClass = run.containers().failed().list().get(0);
        assertEquals("ThreadSamples$LateSample", failedClass.getTestDescriptor().getDisplayName());
        assertThreadExceptionError(failureOf(failedClass),
                "1 exception in another thread during this class, outside its tests: \"late-worker\" "
                        + "java.lang.IllegalStateException: late",
                ThreadSamples.THROWN);
    }

    @Test
    void allowThreadExceptionsOnAMethodExemptsThatTestAndItsLateThreadsOnly() {
        Run run = run(ThreadSamples.AllowedMethodSample.class);

        run.tests().assertStatistics(stats -> stats.started(2).succeeded(1).failed(1));
        run.containers().assertStatistics(stats -> stats.started(2).succeeded(2).failed(0));
        Map<String, Throwable> failures = failuresByTest(run.tests());
        assertEquals(List.of("notAllowed()"), new ArrayList<>(failures.keySet()));
        assertEquals("1 exception in another thread during this test: \"worker-2\" "
                + "java.lang.IllegalStateException: not allowed", failures.get("notAllowed()").getMessage());
        assertTrue(run.err().contains("Exception in thread \"worker-1\" java.lang.IllegalStateException: allowed"),
                () -> "an allowed exception is still printed by the JVM: " + run.err());
    }

    @Test
    void allowThreadExceptionsOnAClassExemptsItsTestsAndTheClass() {
        Run run = run(ThreadSamples.AllowedClassSample.class);

        run.tests().assertStatistics(stats -> stats.started(1).succeeded(1).failed(0));
        run.containers().assertStatistics(stats -> stats.started(2).succeeded(2).failed(0));
        assertTrue(run.err().contains("Exception in thread \"late-worker\" java.lang.IllegalStateException: late"),
                run.err());
    }

    @Test
    void warnModePrintsOneLinePerThreadAndFailsNothing() {
        Run run = run(ThreadSamples.TwoDyingSample.class, ThreadExceptionExtension.MODE_PARAMETER, "warn");

        run.tests().assertStatistics(stats -> stats.started(1).succeeded(1).failed(0));
        String nl = System.lineSeparator();
        assertEquals(jvmReport("worker-1", ThreadSamples.THROWN.get(0))
                        + jvmReport("worker-2", ThreadSamples.THROWN.get(1))
                        + "pythread-junit: warning: thread \"worker-1\" died during " + PREFIX
                        + "TwoDyingSample.twoDie(): java.lang.IllegalStateException: boom" + nl
                        + "pythread-junit: warning: thread \"worker-2\" died during " + PREFIX
                        + "TwoDyingSample.twoDie(): java.lang.IllegalArgumentException: bang" + nl,
                run.err());
    }

    @Test
    void warnModeWarnsAboutALateThreadAtClassLevel() {
        Run run = run(ThreadSamples.LateSample.class, ThreadExceptionExtension.MODE_PARAMETER, "warn");

        run.containers().assertStatistics(stats -> stats.started(2).succeeded(2).failed(0));
        assertTrue(run.err().endsWith("pythread-junit: warning: thread \"late-worker\" died during " + PREFIX
                + "LateSample, outside its tests: java.lang.IllegalStateException: late" + System.lineSeparator()),
                run.err());
    }

    @Test
    void aBadModeFailsTheClassWithAClearMessage() {
        Run run = run(ThreadSamples.DyingSample.class, ThreadExceptionExtension.MODE_PARAMETER, "maybe");

        run.tests().assertStatistics(stats -> stats.started(0));
        Throwable failure = onlyFailure(run.containers());
        assertInstanceOf(ExtensionConfigurationException.class, failure);
        assertEquals("configuration parameter pythread.junit.threadExceptions: bad value 'maybe'; allowed: fail, warn",
                failure.getMessage());
    }

    @Test
    void thePreviousDefaultHandlerStillReceivesTheException() {
        List<String> received = new CopyOnWriteArrayList<>();
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, exc) -> received.add(thread.getName() + ": " + exc));
        Run run;
        try {
            run = run(ThreadSamples.DyingSample.class);
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(previous);
        }

        run.tests().assertStatistics(stats -> stats.started(1).failed(1));
        assertEquals(List.of("worker-1: java.lang.IllegalStateException: boom"), received);
        assertEquals("", run.err(), "the previous handler, not the JVM, had the last word");
    }

    @Test
    void aPyThreadDyingFailsTheTestThroughTheUnraisableHook() {
        List<UnraisableHookArgs> received = new CopyOnWriteArrayList<>();
        UnraisableHook previous = Unraisable.getHook();
        Unraisable.setHook(received::add);
        Run run;
        try {
            run = run(ThreadSamples.PyThreadSample.class);
        } finally {
            Unraisable.setHook(previous);
        }

        run.tests().assertStatistics(stats -> stats.started(1).failed(1));
        Throwable boom = ThreadSamples.THROWN.get(0);
        String name = ThreadSamples.pyThreadName;
        assertNotNull(name);
        assertThreadExceptionError(onlyFailure(run.tests()),
                "1 exception in another thread during this test: \"" + name + "\" java.lang.IllegalStateException: boom",
                List.of(boom));
        assertEquals(1, received.size(), "the previous unraisable hook got it once");
        assertSame(boom, received.get(0).excValue());
        assertEquals(Unraisable.THREAD_EXCEPTION_MESSAGE, received.get(0).errMsg());
    }

    @Test
    void autoDetectionRegistersTheExtensionForEveryClass() {
        Run withoutIt = run(ThreadSamples.AutodetectedSample.class);
        withoutIt.tests().assertStatistics(stats -> stats.started(1).succeeded(1));

        Run run = run(ThreadSamples.AutodetectedSample.class, "junit.jupiter.extensions.autodetection.enabled", "true");

        run.tests().assertStatistics(stats -> stats.started(1).failed(1));
        assertThreadExceptionError(onlyFailure(run.tests()),
                "1 exception in another thread during this test: \"worker-1\" java.lang.IllegalStateException: boom",
                List.of(ThreadSamples.THROWN.get(1)));
    }

    /** The configuration parameters of a run with two tests in parallel. */
    private static final String[] PARALLEL = {
        "junit.jupiter.execution.parallel.enabled", "true",
        "junit.jupiter.execution.parallel.config.strategy", "fixed",
        "junit.jupiter.execution.parallel.config.fixed.parallelism", "2",
    };

    @Test
    void inParallelEachThreadIsHeldAgainstTheTestThatStartedIt() {
        ThreadSamples.ParallelSample.barrier = new CyclicBarrier(2);

        Run run = run(ThreadSamples.ParallelSample.class, PARALLEL);

        run.tests().assertStatistics(stats -> stats.started(2).failed(2));
        Map<String, Throwable> failures = failuresByTest(run.tests());
        assertEquals("1 exception in another thread during this test: \"worker-a\" java.lang.IllegalStateException: a",
                failures.get("a()").getMessage());
        assertEquals("1 exception in another thread during this test: \"worker-b\" java.lang.IllegalStateException: b",
                failures.get("b()").getMessage());
    }

    @Test
    void inParallelAThreadCreatedOutsideAnyTestIsHeldAgainstEveryRunningTest() {
        ThreadSamples.UnownedSample.barrier = new CyclicBarrier(2);
        ThreadSamples.unowned = ThreadSamples.dying("unowned", new IllegalStateException("nobody's"));

        Run run = run(ThreadSamples.UnownedSample.class, PARALLEL);

        run.tests().assertStatistics(stats -> stats.started(2).failed(2));
        Throwable exc = ThreadSamples.THROWN.get(0);
        Map<String, Throwable> failures = failuresByTest(run.tests());
        String message = "1 exception in another thread during this test: \"unowned\" "
                + "java.lang.IllegalStateException: nobody's";
        assertThreadExceptionError(failures.get("startsIt()"), message, List.of(exc));
        assertThreadExceptionError(failures.get("justRuns()"), message, List.of(exc));
    }

    @Test
    void withTheAgentAThreadWithItsOwnHandlerIsSeenAndItsHandlerStillCalled() {
        assumeTrue(AGENT, "only the agent reports the threads whose own handler takes their exception");

        Run run = run(ThreadSamples.OwnHandlerSample.class);

        run.tests().assertStatistics(stats -> stats.started(1).failed(1));
        Throwable boom = ThreadSamples.THROWN.get(0);
        assertThreadExceptionError(onlyFailure(run.tests()),
                "1 exception in another thread during this test: \"own-handler\" java.lang.IllegalStateException: boom",
                List.of(boom));
        assertEquals(List.of(boom), ThreadSamples.HANDLED, "the thread's own handler got it, once");
        assertEquals("", run.err());
    }

    @Test
    void withoutTheAgentAThreadWithItsOwnHandlerIsNotSeen() {
        assumeFalse(AGENT, "the agent sees it (the test above)");

        Run run = run(ThreadSamples.OwnHandlerSample.class);

        // The documented limit: the JVM gives the exception to the thread's handler alone.
        run.tests().assertStatistics(stats -> stats.started(1).succeeded(1));
        assertEquals(ThreadSamples.THROWN, ThreadSamples.HANDLED);
    }
}
