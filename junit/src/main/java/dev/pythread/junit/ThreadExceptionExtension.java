package dev.pythread.junit;

import java.lang.reflect.AnnotatedElement;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;

/**
 * Fails a test when another thread dies of an uncaught exception during it: pytest's {@code threadexception}
 * plugin, which installs a {@code threading.excepthook} around each test, for JUnit 5, which otherwise lets such
 * exceptions go by (at most a stack trace on stderr, far from the test).
 *
 * <p><b>Registration.</b> {@code @ExtendWith(ThreadExceptionExtension.class)} on a test class (or a method), or for
 * every test class at once through JUnit's extension auto-detection: this jar lists the extension in
 * {@code META-INF/services/org.junit.jupiter.api.extension.Extension}, so the configuration parameter
 * {@code junit.jupiter.extensions.autodetection.enabled=true} (in {@code junit-platform.properties}, or as a system
 * property) is all it takes.
 *
 * <p><b>What is seen.</b> The extension installs itself as the default uncaught-exception handler
 * ({@link Thread#setDefaultUncaughtExceptionHandler}) and as the unraisable hook ({@code dev.pythread.Unraisable},
 * Python's {@code sys.unraisablehook}) while tests run, chaining to what was installed before (so
 * {@code Exception in thread "…"} is still printed), and restores both after the last test. Without pythread-agent
 * it sees every thread that dies with no {@code UncaughtExceptionHandler} of its own, and every thread of
 * {@code PyThread.startNewThread}; under the agent, which reports every uncaught exception to the unraisable hook, it
 * sees every thread that dies, own handler or not.
 *
 * <p><b>Which test is failed.</b> A dying thread is held against the test during which the thread that created it
 * was running that test, even if the test runs in parallel with others; a thread outliving its test, against the
 * test's class, which fails in {@code afterAll}; a thread created outside any test (e.g. a pool worker created
 * earlier), against every test running when it dies. For the failure to land on the right test, a test must wait for
 * its threads ({@link Thread#join()}) before it returns.
 *
 * <p><b>The failure</b> is a {@link ThreadExceptionError} naming each thread, with each exception suppressed by it.
 * If the test failed already, the error is added as suppressed to the test's own failure, which stays the reported
 * one; an aborted test (a failed assumption) is failed instead.
 *
 * <p><b>Configuration parameter {@value #MODE_PARAMETER}</b>: {@code fail} (the default) or {@code warn}. Under
 * {@code warn} nothing fails; one line per dead thread goes to {@link System#err} when its test (or class) ends:
 * {@code pythread-junit: warning: thread "worker-1" died during com.example.FooTest.bar():
 * java.lang.IllegalStateException: boom}. Standard error rather than {@code publishReportEntry}, because every
 * build tool and IDE shows it, and not all of them show report entries; the stack trace is above it already, printed
 * by the JVM's handler. {@link AllowThreadExceptions} exempts one test or class.
 *
 * <p><b>Why {@code AfterEachCallback}</b> and not {@code TestExecutionExceptionHandler} or
 * {@code InvocationInterceptor}: a thread may die during {@code @BeforeEach}, the test or {@code @AfterEach} (a pool
 * shut down in {@code @AfterEach}), and the test may pass. An exception handler is called only when the test method
 * throws; an interceptor wraps one invocation, not the {@code @AfterEach} methods. The {@code AfterEachCallback} of
 * an extension runs after all of them, and JUnit itself adds what it throws as suppressed to an earlier failure of
 * the test, or lets it replace an abort — exactly the rules wanted, with no re-implementation of them here.
 */
public class ThreadExceptionExtension implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback,
        AfterAllCallback {

    /**
     * The configuration parameter that says what a dead thread does to its test: {@code fail} (the default) or
     * {@code warn}. pytest's plugin warns by default ({@code PytestUnhandledThreadExceptionWarning}); {@code fail} is
     * pytest with {@code -W error::pytest.PytestUnhandledThreadExceptionWarning}, the default here because a stack
     * trace on stderr is easily missed in a build log.
     */
    public static final String MODE_PARAMETER = "pythread.junit.threadExceptions";

    private static final Namespace NAMESPACE = Namespace.create(ThreadExceptionExtension.class);

    /** What a dead thread does to its test. */
    enum Mode {
        FAIL, WARN
    }

    /** Creates the extension; JUnit calls it (it holds no state: the hooks it installs are the JVM's). */
    public ThreadExceptionExtension() {
    }

    /**
     * Starts holding dying threads against the test class: those started by its {@code @BeforeAll} methods, and
     * those outliving its tests.
     *
     * @param context the class's context
     */
    @Override
    public void beforeAll(ExtensionContext context) {
        open(context, false);
    }

    /**
     * Starts holding dying threads against the test: those it (or its {@code @BeforeEach} and {@code @AfterEach}
     * methods) starts.
     *
     * @param context the test's context
     */
    @Override
    public void beforeEach(ExtensionContext context) {
        open(context, true);
    }

    /**
     * Fails the test if threads died during it, or warns ({@value #MODE_PARAMETER}), unless
     * {@link AllowThreadExceptions} applies.
     *
     * @param context the test's context
     * @throws ThreadExceptionError naming the threads that died
     */
    @Override
    public void afterEach(ExtensionContext context) {
        close(context);
    }

    /**
     * Fails the test class if threads died during it outside its tests, or warns ({@value #MODE_PARAMETER}), unless
     * {@link AllowThreadExceptions} applies.
     *
     * @param context the class's context
     * @throws ThreadExceptionError naming the threads that died
     */
    @Override
    public void afterAll(ExtensionContext context) {
        close(context);
    }

    private static void open(ExtensionContext context, boolean test) {
        Mode mode = mode(context);
        Scope parent = context.getParent()
                .map(enclosing -> enclosing.getStore(NAMESPACE).get(Scope.class, Scope.class))
                .orElse(null);
        Scope scope = new Scope(parent, test, allowed(context), mode, where(context, test));
        context.getStore(NAMESPACE).put(Scope.class, scope);
        Collector.INSTANCE.open(scope);
    }

    private static void close(ExtensionContext context) {
        Scope scope = context.getStore(NAMESPACE).remove(Scope.class, Scope.class);
        if (scope == null) {
            return; // an extension before this one failed in its before callback, so ours never ran
        }
        List<DeadThread> dead = Collector.INSTANCE.close(scope);
        if (dead.isEmpty() || scope.allowed) {
            return;
        }
        if (scope.mode == Mode.WARN) {
            for (DeadThread deadThread : dead) {
                System.err.println("pythread-junit: warning: thread \"" + deadThread.threadName() + "\" died during "
                        + scope.where + ": " + deadThread.exceptionText());
            }
            return;
        }
        throw new ThreadExceptionError(scope.during, dead);
    }

    private static Mode mode(ExtensionContext context) {
        Optional<String> value = context.getConfigurationParameter(MODE_PARAMETER);
        if (value.isEmpty()) {
            return Mode.FAIL;
        }
        switch (value.get().trim().toLowerCase(Locale.ROOT)) {
            case "fail":
                return Mode.FAIL;
            case "warn":
                return Mode.WARN;
            default:
                throw new ExtensionConfigurationException("configuration parameter " + MODE_PARAMETER
                        + ": bad value '" + value.get() + "'; allowed: fail, warn");
        }
    }

    /** {@link AllowThreadExceptions} on the test method, its class or an enclosing class of a {@code @Nested} one. */
    private static boolean allowed(ExtensionContext context) {
        for (ExtensionContext c = context; c != null; c = c.getParent().orElse(null)) {
            Optional<AnnotatedElement> element = c.getElement();
            if (element.isPresent() && element.get().isAnnotationPresent(AllowThreadExceptions.class)) {
                return true;
            }
        }
        return false;
    }

    private static String where(ExtensionContext context, boolean test) {
        return test ? TestNames.test(context) : TestNames.testClass(context) + ", outside its tests";
    }
}
