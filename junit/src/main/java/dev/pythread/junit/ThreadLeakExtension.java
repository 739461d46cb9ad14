package dev.pythread.junit;

import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;

/**
 * Fails a test that leaves threads it created alive after it: a pool never shut down, a {@code Timer} never
 * cancelled, a virtual thread still parked. Such threads outlive the test, slow the build down, hold resources, and
 * make later tests fail for reasons far from their cause.
 *
 * <p><b>Turning it on.</b> {@link DetectThreadLeaks} on a test class or method (it registers this extension), or for
 * every test at once: {@code pythread.junit.threadLeaks=fail} (or {@code warn}) together with JUnit's extension
 * auto-detection ({@code junit.jupiter.extensions.autodetection.enabled=true}; this jar lists the extension in
 * {@code META-INF/services/org.junit.jupiter.api.extension.Extension}). Auto-detected, it does nothing where neither
 * says so.
 *
 * <p><b>What is a leak.</b> A thread that is alive when its test ends, after a linger: each such thread is joined
 * until one deadline ({@value #LINGER_PARAMETER}, default 1 second), so a pool told to shut down has time to, and a
 * test whose threads all ended waits for nothing. A thread belongs to the test during which it was created — to the
 * test the creating thread was running, even under parallel execution — or to the class for a thread created in
 * {@code @BeforeAll} or {@code @AfterAll}, which then fails in {@code afterAll}. A thread reported by its test is not
 * reported again by the class. Not leaks: threads created outside any test, and the JDK's and JUnit's own (the common
 * pool, {@code Cleaner}s, virtual threads' carriers and pollers, JUnit's workers and timeout threads).
 *
 * <p><b>With and without pythread-agent.</b> Under the agent every thread start is audited, and the extension records
 * each thread started during a test with the code that started it: exact, also under parallel execution, virtual
 * threads included, and the report names the frame and the jar. Without it, a test's threads are the platform
 * threads that appeared while it ran, if it created any thread: exact when tests run one at a time. Under parallel
 * execution it reports such a thread only when no other test that created threads ran meanwhile, or, if all those
 * were tests of the same class, against the class; and only when it sees every test, i.e. when the configuration
 * parameter turns it on for all of them; otherwise it reports nothing it cannot attribute. Without the agent virtual
 * threads are not seen at all: the JDK lists none.
 *
 * <p><b>The failure</b> is a {@link ThreadLeakError} naming each leaked thread, with a {@link LeakedThread} holding
 * each thread's current stack suppressed by it. If the test failed already, the error is added as suppressed to the
 * test's own failure, which stays the reported one (JUnit does so for an {@code AfterEachCallback}).
 *
 * <p><b>Configuration parameters</b>, checked wherever the extension runs (a bad value fails the class, with a message
 * naming the parameter, the value and what is allowed):
 * <ul>
 *   <li>{@value #MODE_PARAMETER}: {@code off} (the default: only where {@link DetectThreadLeaks} is), {@code fail}
 *       (every test) or {@code warn} (every test, and where the annotation is; nothing fails, one line per leaked
 *       thread goes to {@link System#err}: {@code pythread-junit: warning: thread "worker-1" #31 (WAITING, daemon)
 *       leaked by com.example.FooTest.bar(), started at com.example.Pool.start(Pool.java:42) in /path/to/pool.jar});</li>
 *   <li>{@value #LINGER_PARAMETER}: {@code 500ms}, {@code 2s}, …; {@code @DetectThreadLeaks(linger = …)} wins;</li>
 *   <li>{@value #IGNORE_PARAMETER}: rules separated by commas, added to those of the annotations. By who started
 *       the thread (under the agent): {@code package:com.example} (the starting frame's class is in that package or
 *       below), {@code class:com.example.Foo} (the starting frame's class, or the thread's own class, is that class
 *       or nested in it: this one works without the agent too, by the thread's class), {@code jar:kafka-clients-*.jar}
 *       (glob on the file name of the starting class's jar or folder); by the thread's name only as a fallback:
 *       {@code name:GLOB}. A glob's {@code *} is any run of characters, {@code ?} one character.</li>
 * </ul>
 *
 * <p><b>Why these callbacks</b>: as for {@link ThreadExceptionExtension}, {@code afterEach} runs after the test's own
 * {@code @AfterEach} methods (a pool shut down there is not a leak), and JUnit keeps the test's own failure first.
 */
public class ThreadLeakExtension implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback,
        AfterAllCallback {

    /** The configuration parameter that turns leak detection on everywhere: {@code off}, {@code fail} or {@code warn}. */
    public static final String MODE_PARAMETER = "pythread.junit.threadLeaks";

    /** The configuration parameter for how long a test's threads may take to end after it, e.g. {@code 500ms}. */
    public static final String LINGER_PARAMETER = "pythread.junit.threadLeaks.linger";

    /** The configuration parameter for the rules of threads that are not leaks, separated by commas. */
    public static final String IGNORE_PARAMETER = "pythread.junit.threadLeaks.ignore";

    private static final Namespace NAMESPACE = Namespace.create(ThreadLeakExtension.class);

    /** Creates the extension; JUnit calls it (it holds no state: the scopes are in the test contexts). */
    public ThreadLeakExtension() {
    }

    /**
     * Starts watching the threads the test class creates outside its tests.
     *
     * @param context the class's context
     * @throws ExtensionConfigurationException for a bad configuration parameter or annotation value
     */
    @Override
    public void beforeAll(ExtensionContext context) {
        open(context, false);
    }

    /**
     * Starts watching the threads the test (or its {@code @BeforeEach} and {@code @AfterEach} methods) creates.
     *
     * @param context the test's context
     * @throws ExtensionConfigurationException for a bad configuration parameter or annotation value
     */
    @Override
    public void beforeEach(ExtensionContext context) {
        open(context, true);
    }

    /**
     * Fails the test if threads it created are still alive after the linger, or warns ({@value #MODE_PARAMETER}).
     *
     * @param context the test's context
     * @throws ThreadLeakError naming the leaked threads
     */
    @Override
    public void afterEach(ExtensionContext context) {
        close(context);
    }

    /**
     * Fails the class if threads it created outside its tests are still alive after the linger, or warns.
     *
     * @param context the class's context
     * @throws ThreadLeakError naming the leaked threads
     */
    @Override
    public void afterAll(ExtensionContext context) {
        close(context);
    }

    private static void open(ExtensionContext context, boolean test) {
        LeakSettings settings = LeakSettings.of(context);
        if (settings.mode == LeakSettings.Mode.OFF) {
            return;
        }
        StartRecorder.install(); // before the snapshot: a thread started after it is either in it or on record
        LeakScope parent = context.getParent()
                .map(enclosing -> enclosing.getStore(NAMESPACE).get(LeakScope.class, LeakScope.class))
                .orElse(null);
        String name = test ? TestNames.test(context) : TestNames.testClass(context);
        LeakScope scope = new LeakScope(parent, test, settings, name, LiveThreads.ids());
        context.getStore(NAMESPACE).put(LeakScope.class, scope);
        LeakScopes.INSTANCE.open(scope);
    }

    private static void close(ExtensionContext context) {
        LeakScope scope = context.getStore(NAMESPACE).remove(LeakScope.class, LeakScope.class);
        if (scope == null) {
            return; // not watched, or an extension before this one failed in its before callback
        }
        List<StartRecord> records = LeakScopes.INSTANCE.close(scope);
        List<LeakedThread> leaked = LeakCheck.leaked(scope, records, LeakScopes.INSTANCE);
        if (leaked.isEmpty()) {
            return;
        }
        if (scope.settings.mode == LeakSettings.Mode.WARN) {
            for (LeakedThread thread : leaked) {
                System.err.println(thread.warning());
            }
            return;
        }
        throw new ThreadLeakError(scope.during, leaked);
    }
}
