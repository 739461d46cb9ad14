package dev.pythread.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
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
 * {@link ThreadLeakExtension}, by running the classes of {@link LeakSamples} with JUnit's {@code EngineTestKit} and
 * checking what JUnit reports: which tests and classes failed, with which message and suppressed threads, and what
 * was printed on stderr meanwhile.
 *
 * <p>Surefire runs this class twice: without and with pythread-agent (system property
 * {@code pythread.junit.test.agent=true}). Under the agent a report also names the frame and the folder that started
 * each thread, virtual threads are seen, and parallel tests are told apart; the tests say where the two differ.
 */
@Timeout(120)
class ThreadLeakExtensionTest {

    private static final boolean AGENT = Boolean.getBoolean("pythread.junit.test.agent");

    private static final boolean VIRTUAL_THREADS = Runtime.version().feature() >= 21;

    private static final String PREFIX = "dev.pythread.junit.LeakSamples$";

    /** The folder the samples' classes come from: what a report names as the starting frame's code source. */
    private static final String TEST_CLASSES = testClasses();

    /** Short, so that the runs that leak on purpose wait little; the linger tests set their own. */
    private static final String SAMPLE_LINGER = "200ms";

    private static final String[] PARALLEL = {
        "junit.jupiter.execution.parallel.enabled", "true",
        "junit.jupiter.execution.parallel.config.strategy", "fixed",
        "junit.jupiter.execution.parallel.config.fixed.parallelism", "2",
    };

    private static final String[] EVERY_CLASS = {
        "junit.jupiter.extensions.autodetection.enabled", "true",
        ThreadLeakExtension.MODE_PARAMETER, "fail",
    };

    /** What one run of a sample gave: JUnit's events, what was written to {@code System.err}, and how long it took. */
    private record Run(EngineExecutionResults results, String err, Duration took) {
        Events tests() {
            return results.testEvents();
        }

        Events containers() {
            return results.containerEvents();
        }
    }

    private static String testClasses() {
        try {
            return Paths.get(LeakSamples.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new AssertionError(e);
        }
    }

    @BeforeEach
    void newRelease() {
        LeakSamples.release = new CountDownLatch(1);
    }

    /** Ends every thread the run leaked, so that neither the next test nor the JVM sees it. */
    @AfterEach
    void endTheLeaks() throws InterruptedException {
        LeakSamples.release.countDown();
        LeakSamples.CLEANUP.forEach(Runnable::run);
        for (Thread thread : LeakSamples.LEAKED) {
            thread.join(TimeUnit.SECONDS.toMillis(60));
            assertTrue(!thread.isAlive(), () -> thread + " did not end");
        }
        LeakSamples.LEAKED.clear();
        LeakSamples.STARTED_AT.clear();
        LeakSamples.CLEANUP.clear();
    }

    /** Runs {@code sample} with the configuration parameters {@code keyValues} (key, value, key, value…). */
    private static Run run(Class<?> sample, String... keyValues) {
        Map<String, String> parameters = new HashMap<>();
        parameters.put(ThreadSamples.RUN_SAMPLES, "true");
        parameters.put("junit.platform.stacktrace.pruning.enabled", "false");
        parameters.put(ThreadLeakExtension.LINGER_PARAMETER, SAMPLE_LINGER);
        for (int i = 0; i < keyValues.length; i += 2) {
            parameters.put(keyValues[i], keyValues[i + 1]);
        }
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream originalErr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        long start = System.nanoTime();
        EngineExecutionResults results;
        try {
            results = EngineTestKit.engine("junit-jupiter")
                    .selectors(selectClass(sample))
                    .configurationParameters(parameters)
                    .execute();
        } finally {
            System.setErr(originalErr);
        }
        return new Run(results, err.toString(StandardCharsets.UTF_8), Duration.ofNanos(System.nanoTime() - start));
    }

    private static Throwable onlyFailure(Events events) {
        List<Event> failed = events.failed().list();
        assertEquals(1, failed.size(), () -> "one failure: " + failed);
        return failureOf(failed.get(0));
    }

    private static Throwable failureOf(Event event) {
        return event.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow();
    }

    private static Map<String, Throwable> failuresByTest(Events tests) {
        return tests.failed().stream().collect(Collectors.toMap(
                event -> event.getTestDescriptor().getDisplayName(), ThreadLeakExtensionTest::failureOf));
    }

    /**
     * How a report describes {@code thread}, which a sample leaked: the starting frame only under the agent.
     *
     * @param state its state, and {@code daemon} or {@code virtual} if it is
     */
    @SuppressWarnings("deprecation") // Thread.getId(): the identifier the report gives, threadId() is JDK 19+
    private static String described(Thread thread, String state, String creator) {
        String text = "\"" + thread.getName() + "\" #" + thread.getId() + " (" + state + "), created by " + creator;
        if (!AGENT) {
            return text;
        }
        String startedAt = LeakSamples.STARTED_AT.get(thread.getName());
        assertTrue(startedAt != null, () -> "the sample says where it started " + thread);
        return text + ", started at " + startedAt + " in " + TEST_CLASSES;
    }

    private static Thread leaked(String name) {
        return LeakSamples.LEAKED.stream().filter(thread -> thread.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no leaked thread " + name + ": " + LeakSamples.LEAKED));
    }

    /** Checks the error, and that each thread is suppressed by it with its own description and stack. */
    private static void assertThreadLeakError(Throwable failure, String message, List<String> threads) {
        assertInstanceOf(ThreadLeakError.class, failure, () -> "failure: " + failure);
        assertEquals(message, failure.getMessage());
        List<Throwable> suppressed = List.of(failure.getSuppressed());
        assertEquals(threads, suppressed.stream().map(Throwable::getMessage).collect(Collectors.toList()));
        for (Throwable thread : suppressed) {
            assertInstanceOf(LeakedThread.class, thread);
            String frames = Arrays.toString(thread.getStackTrace());
            assertTrue(thread.getStackTrace().length > 0 && !frames.contains("LeakCheck")
                    && !frames.contains("ThreadLeakExtension"), () -> "the thread's own stack: " + frames);
        }
    }

    /** The names of the threads {@code failure} reports, in order. */
    private static List<String> reportedNames(Throwable failure) {
        assertInstanceOf(ThreadLeakError.class, failure, () -> "failure: " + failure);
        return Arrays.stream(failure.getSuppressed())
                .map(thread -> thread.getMessage().substring(1, thread.getMessage().indexOf('"', 1)))
                .collect(Collectors.toList());
    }

    @Test
    void aLeakedThreadFailsItsTestOnceNamingItsStateCreatorAndStart() {
        Run run = run(LeakSamples.PlainLeakSample.class);

        run.tests().assertStatistics(stats -> stats.started(1).succeeded(0).failed(1));
        run.containers().assertStatistics(stats -> stats.started(2).succeeded(2).failed(0));
        String thread = described(leaked("leaky-plain"), "WAITING", PREFIX + "PlainLeakSample.leaks()");
        Throwable failure = onlyFailure(run.tests());
        assertThreadLeakError(failure, "1 thread leaked by this test: " + thread, List.of(thread));
        assertTrue(Arrays.stream(failure.getSuppressed()[0].getStackTrace())
                        .anyMatch(frame -> frame.getMethodName().equals("awaitRelease")),
                "the stack shows where the thread waits");
        assertEquals("", run.err());
    }

    @Test
    void aThreadWhoseHashCodeAndEqualsThrowIsReportedLikeAnyOther() {
        Run run = run(LeakSamples.HostileThreadSample.class);

        String thread = described(leaked("leaky-hostile"), "WAITING", PREFIX + "HostileThreadSample.leaks()");
        assertThreadLeakError(onlyFailure(run.tests()), "1 thread leaked by this test: " + thread, List.of(thread));
    }

    @Test
    void aPoolNeverShutDownIsALeak() {
        Run run = run(LeakSamples.ExecutorLeakSample.class);

        String thread = described(leaked("leaky-pool"), "WAITING",
                PREFIX + "ExecutorLeakSample.neverShutsItsPoolDown()");
        assertThreadLeakError(onlyFailure(run.tests()), "1 thread leaked by this test: " + thread, List.of(thread));
    }

    @Test
    void aTimerNeverCancelledIsALeak() {
        Run run = run(LeakSamples.TimerLeakSample.class);

        String thread = described(leaked("leaky-timer"), "WAITING",
                PREFIX + "TimerLeakSample.neverCancelsItsTimer()");
        assertThreadLeakError(onlyFailure(run.tests()), "1 thread leaked by this test: " + thread, List.of(thread));
    }

    @Test
    void withTheAgentAVirtualThreadStillAliveIsALeak() {
        assumeTrue(VIRTUAL_THREADS, "JDK 21+");
        assumeTrue(AGENT, "only the agent sees virtual threads start");

        Run run = run(LeakSamples.VirtualLeakSample.class);

        String thread = described(leaked("leaky-virtual"), "WAITING, virtual",
                PREFIX + "VirtualLeakSample.leavesAVirtualThreadParked()");
        assertThreadLeakError(onlyFailure(run.tests()), "1 thread leaked by this test: " + thread, List.of(thread));
    }

    @Test
    void withoutTheAgentVirtualThreadsAreNotSeen() {
        assumeTrue(VIRTUAL_THREADS, "JDK 21+");
        assumeFalse(AGENT, "the agent sees them (the test above)");

        Run run = run(LeakSamples.VirtualLeakSample.class);

        // The documented limit: the JDK lists no virtual thread.
        run.tests().assertStatistics(stats -> stats.started(1).succeeded(1));
        assertTrue(leaked("leaky-virtual").isAlive());
    }

    @Test
    void aThreadStartedInBeforeAllFailsTheClass() {
        Run run = run(LeakSamples.BeforeAllLeakSample.class);

        run.tests().assertStatistics(stats -> stats.started(1).succeeded(1));
        run.containers().assertStatistics(stats -> stats.started(2).succeeded(1).failed(1));
        Event failedClass = run.containers().failed().list().get(0);
        assertEquals("LeakSamples$BeforeAllLeakSample", failedClass.getTestDescriptor().getDisplayName());
        String thread = described(leaked("leaky-before-all"), "WAITING",
                PREFIX + "BeforeAllLeakSample outside its tests");
        assertThreadLeakError(failureOf(failedClass), "1 thread leaked by this class: " + thread, List.of(thread));
    }

    @Test
    void aThreadEndingWithinTheLingerIsNoLeakAndTheWaitEndsWithIt() {
        Run run = run(LeakSamples.LingeringSample.class, ThreadLeakExtension.LINGER_PARAMETER, "30s");

        run.tests().assertStatistics(stats -> stats.started(1).succeeded(1));
        run.containers().assertStatistics(stats -> stats.succeeded(2));
        // It ends 100 ms after the test: the linger must not last its 30 s. Generous, never flaky.
        assertTrue(run.took().compareTo(Duration.ofSeconds(15)) < 0, () -> "waited " + run.took());
    }

    @Test
    void onlyTheThreadStillAliveAfterTheLingerIsReported() {
        Run run = run(LeakSamples.PartlyLingeringSample.class, ThreadLeakExtension.LINGER_PARAMETER, "1s");

        String thread = described(leaked("leaky-plain"), "WAITING", PREFIX + "PartlyLingeringSample.leavesTwoThreads()");
        assertThreadLeakError(onlyFailure(run.tests()), "1 thread leaked by this test: " + thread, List.of(thread));
    }

    @Test
    void theThreadsOfTheJdkAndJUnitAreNoLeaks() {
        Run run = run(LeakSamples.JdkThreadsSample.class);

        run.tests().assertStatistics(stats -> stats.started(1).succeeded(1));
        run.containers().assertStatistics(stats -> stats.succeeded(2));
        assertEquals("", run.err());
    }

    @Test
    void ignoreByPackageOfTheStartingFrame() {
        Run run = run(LeakSamples.LibrarySample.class,
                ThreadLeakExtension.IGNORE_PARAMETER, "package:dev.pythread.junit.leaky");

        // Without the agent the starting frame is not known: the rule cannot match.
        assertEquals(AGENT ? List.of("leaky-plain") : List.of("library-plain", "library-own", "leaky-plain"),
                reportedNames(onlyFailure(run.tests())));
    }

    @Test
    void ignoreByClassOfTheStartingFrameOrOfTheThread() {
        Run run = run(LeakSamples.LibrarySample.class,
                ThreadLeakExtension.IGNORE_PARAMETER, "class:dev.pythread.junit.leaky.LeakyLibrary");

        // library-own is a LeakyLibrary.Worker: its own class says so, with or without the agent.
        assertEquals(AGENT ? List.of("leaky-plain") : List.of("library-plain", "leaky-plain"),
                reportedNames(onlyFailure(run.tests())));
    }

    @Test
    void ignoreByJarOfTheStartingFrame() {
        Run run = run(LeakSamples.LibrarySample.class, ThreadLeakExtension.IGNORE_PARAMETER, "jar:test-classe?");

        if (AGENT) {
            run.tests().assertStatistics(stats -> stats.started(1).succeeded(1)); // every thread came from there
        } else {
            assertEquals(List.of("library-plain", "library-own", "leaky-plain"),
                    reportedNames(onlyFailure(run.tests())));
        }
    }

    @Test
    void ignoreByNameAsAFallbackAndSeveralRules() {
        Run byName = run(LeakSamples.LibrarySample.class, ThreadLeakExtension.IGNORE_PARAMETER, "name:library-*");
        assertEquals(List.of("leaky-plain"), reportedNames(onlyFailure(byName.tests())));
        endTheLeaksOfThisRun();

        Run several = run(LeakSamples.LibrarySample.class, ThreadLeakExtension.IGNORE_PARAMETER,
                " name:library-pl?in , class:dev.pythread.junit.leaky.LeakyLibrary$Worker,");
        assertEquals(List.of("leaky-plain"), reportedNames(onlyFailure(several.tests())));
    }

    @Test
    void ignoreRulesOfTheAnnotation() {
        Run run = run(LeakSamples.AnnotatedIgnoreSample.class);

        String thread = described(leaked("leaky-plain"), "WAITING", PREFIX + "AnnotatedIgnoreSample.leaksThreeThreads()");
        assertThreadLeakError(onlyFailure(run.tests()), "1 thread leaked by this test: " + thread, List.of(thread));
    }

    @Test
    void warnModePrintsOneLinePerLeakAndFailsNothing() {
        Run run = run(LeakSamples.PlainLeakSample.class, ThreadLeakExtension.MODE_PARAMETER, "warn");

        run.tests().assertStatistics(stats -> stats.started(1).succeeded(1));
        run.containers().assertStatistics(stats -> stats.succeeded(2));
        String thread = described(leaked("leaky-plain"), "WAITING", PREFIX + "PlainLeakSample.leaks()");
        assertEquals("pythread-junit: warning: thread " + thread.replace(", created by ", " leaked by ")
                + System.lineSeparator(), run.err());
    }

    @Test
    void theConfigurationParameterTurnsItOnForEveryClass() {
        Run off = run(LeakSamples.AutodetectedLeakSample.class, "junit.jupiter.extensions.autodetection.enabled", "true");
        off.tests().assertStatistics(stats -> stats.started(1).succeeded(1)); // off by default
        endTheLeaksOfThisRun();

        Run run = run(LeakSamples.AutodetectedLeakSample.class, EVERY_CLASS);

        String thread = described(leaked("leaky-plain"), "WAITING", PREFIX + "AutodetectedLeakSample.leaks()");
        assertThreadLeakError(onlyFailure(run.tests()), "1 thread leaked by this test: " + thread, List.of(thread));
    }

    @Test
    void autodetectedAndAnnotatedTheExtensionRunsOnce() {
        Run run = run(LeakSamples.PlainLeakSample.class, EVERY_CLASS);

        // Twice would add a second ThreadLeakError, suppressed by the first.
        String thread = described(leaked("leaky-plain"), "WAITING", PREFIX + "PlainLeakSample.leaks()");
        assertThreadLeakError(onlyFailure(run.tests()), "1 thread leaked by this test: " + thread, List.of(thread));
        run.containers().assertStatistics(stats -> stats.succeeded(2));
    }

    @Test
    void theAnnotationOnAMethodWatchesThatTestOnly() {
        Run run = run(LeakSamples.MethodAnnotationSample.class);

        run.tests().assertStatistics(stats -> stats.started(2).succeeded(1).failed(1));
        Map<String, Throwable> failures = failuresByTest(run.tests());
        assertEquals(List.of("watched()"), List.copyOf(failures.keySet()));
        String thread = described(leaked("leaky-watched"), "WAITING", PREFIX + "MethodAnnotationSample.watched()");
        assertThreadLeakError(failures.get("watched()"), "1 thread leaked by this test: " + thread, List.of(thread));
    }

    @Test
    void aTestThatFailsItselfKeepsItsOwnFailureWithTheLeakSuppressed() {
        Run run = run(LeakSamples.FailingLeakSample.class);

        Throwable failure = onlyFailure(run.tests());
        assertInstanceOf(AssertionFailedError.class, failure);
        assertEquals("the test's own failure", failure.getMessage());
        assertEquals(1, failure.getSuppressed().length, () -> List.of(failure.getSuppressed()).toString());
        String thread = described(leaked("leaky-plain"), "WAITING", PREFIX + "FailingLeakSample.leaksAndFails()");
        assertThreadLeakError(failure.getSuppressed()[0], "1 thread leaked by this test: " + thread, List.of(thread));
    }

    @Test
    @SuppressWarnings("deprecation") // Thread.getId()
    void aPyThreadLeftRunningIsALeakWithOrWithoutTheAgent() {
        Run run = run(LeakSamples.PyThreadLeakSample.class);

        // PyThread raises its audit event before the thread exists: the thread is judged by appearance, no frame.
        Thread pyThread = LeakSamples.LEAKED.get(0);
        String thread = "\"" + pyThread.getName() + "\" #" + pyThread.getId() + " (WAITING, daemon), created by "
                + PREFIX + "PyThreadLeakSample.leaksAPyThread()";
        assertThreadLeakError(onlyFailure(run.tests()), "1 thread leaked by this test: " + thread, List.of(thread));
    }

    @Test
    void withTheAgentInParallelOnlyTheTestThatLeakedFails() {
        assumeTrue(AGENT, "without the agent the two tests' threads cannot be told apart (the tests below)");
        LeakSamples.ParallelLeakSample.barrier = new CyclicBarrier(2);

        Run run = run(LeakSamples.ParallelLeakSample.class, PARALLEL);

        run.tests().assertStatistics(stats -> stats.started(2).succeeded(1).failed(1));
        run.containers().assertStatistics(stats -> stats.succeeded(2));
        // JUnit's parallel workers are daemon threads, and a thread is created daemon if its creator is.
        String thread = described(leaked("leaky-a"), "WAITING, daemon", PREFIX + "ParallelLeakSample.a()");
        assertThreadLeakError(failuresByTest(run.tests()).get("a()"), "1 thread leaked by this test: " + thread,
                List.of(thread));
    }

    @Test
    void withoutTheAgentInParallelALeakOfOneOfTheTestsFailsTheClassIfEveryTestIsWatched() {
        assumeFalse(AGENT, "the agent tells the tests apart (the test above)");
        LeakSamples.ParallelLeakSample.barrier = new CyclicBarrier(2);
        String[] parameters = Arrays.copyOf(PARALLEL, PARALLEL.length + EVERY_CLASS.length);
        System.arraycopy(EVERY_CLASS, 0, parameters, PARALLEL.length, EVERY_CLASS.length);

        Run run = run(LeakSamples.ParallelLeakSample.class, parameters);

        run.tests().assertStatistics(stats -> stats.started(2).succeeded(2));
        String thread = described(leaked("leaky-a"), "WAITING, daemon", "one of the parallel tests of " + PREFIX
                + "ParallelLeakSample");
        assertThreadLeakError(onlyFailure(run.containers()), "1 thread leaked by this class: " + thread,
                List.of(thread));
    }

    @Test
    void withoutTheAgentInParallelNothingIsReportedUnlessEveryTestIsWatched() {
        assumeFalse(AGENT, "the agent tells the tests apart");
        LeakSamples.ParallelLeakSample.barrier = new CyclicBarrier(2);

        Run run = run(LeakSamples.ParallelLeakSample.class, PARALLEL);

        // The documented limit: a test that does not run the extension may have created the thread.
        run.tests().assertStatistics(stats -> stats.started(2).succeeded(2));
        run.containers().assertStatistics(stats -> stats.succeeded(2));
    }

    @Test
    void aBadModeFailsTheClassWithAClearMessage() {
        assertBadValue(LeakSamples.PlainLeakSample.class, ThreadLeakExtension.MODE_PARAMETER, "maybe",
                "configuration parameter pythread.junit.threadLeaks: bad value 'maybe'; allowed: off, fail, warn");
    }

    @Test
    void aBadLingerFailsTheClassWithAClearMessage() {
        assertBadValue(LeakSamples.PlainLeakSample.class, ThreadLeakExtension.LINGER_PARAMETER, "soon",
                "configuration parameter pythread.junit.threadLeaks.linger: bad value 'soon'; allowed: a duration "
                        + "such as 500ms or 2s");
    }

    @Test
    void aBadIgnoreRuleFailsTheClassWithAClearMessage() {
        assertBadValue(LeakSamples.PlainLeakSample.class, ThreadLeakExtension.IGNORE_PARAMETER, "name:x, thread:y",
                "configuration parameter pythread.junit.threadLeaks.ignore: bad value 'thread:y'; allowed: "
                        + "package:NAME, class:NAME, jar:GLOB, name:GLOB, separated by commas");
    }

    @Test
    void aBadAnnotationValueFailsTheClassWithAClearMessage() {
        Run run = run(LeakSamples.BadLingerSample.class);

        run.tests().assertStatistics(stats -> stats.started(0));
        Throwable failure = onlyFailure(run.containers());
        assertInstanceOf(ExtensionConfigurationException.class, failure);
        assertEquals("@DetectThreadLeaks(linger) on " + PREFIX + "BadLingerSample: bad value 'soon'; allowed: "
                + "a duration such as 500ms or 2s", failure.getMessage());
    }

    private static void assertBadValue(Class<?> sample, String key, String value, String message) {
        Run run = run(sample, key, value);

        run.tests().assertStatistics(stats -> stats.started(0));
        Throwable failure = onlyFailure(run.containers());
        assertInstanceOf(ExtensionConfigurationException.class, failure);
        assertEquals(message, failure.getMessage());
    }

    /** For a test with two runs: the second must not see the first one's threads. */
    private void endTheLeaksOfThisRun() {
        try {
            endTheLeaks();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        newRelease();
    }
}
