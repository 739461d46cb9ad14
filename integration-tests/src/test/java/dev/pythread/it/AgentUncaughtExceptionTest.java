package dev.pythread.it;

import static dev.pythread.it.ChildJvm.FEATURE_VERSION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every uncaught exception of every thread reaches the unraisable hook once; {@code SystemExit} is silent; with no
 * options the JVM's own handlers and output are untouched.
 */
class AgentUncaughtExceptionTest {

    /** The apps use dev.pythread classes, so without the agent the API jar must be on the class path. */
    private static final String CLASS_PATH = ChildJvm.TEST_CLASSES + File.pathSeparator + ChildJvm.API_JAR;
    private static final String APP = "dev.pythread.it.apps.Uncaught";
    private static final String ERR_MSG = "Exception ignored in thread started by";

    @Test
    void everyUncaughtExceptionReachesTheHookOnceInTheDyingThread() {
        List<String> modes = new ArrayList<>(List.of("platform", "pool", "handler", "systemexit", "exit", "future"));
        if (FEATURE_VERSION >= 21) {
            modes.add("virtual");
        }
        ChildJvm.Result result = ChildJvm.runWithClassPath(List.of(ChildJvm.agent("hook=dev.pythread.it.apps.RecordingHook")),
                CLASS_PATH, APP, modes.toArray(new String[0]));
        assertEquals(0, result.exitCode(), result::toString);
        assertEquals("", result.stderr(), "the hook replaced the JVM's printing: " + result);
        List<String> reports = result.stdoutLines().stream().filter(line -> line.startsWith("unraisable "))
                .collect(Collectors.toList());
        List<String> expected = new ArrayList<>(List.of(
                "unraisable " + ERR_MSG + " | dying-platform | java.lang.IllegalStateException: boom-platform"
                        + " | in dying-platform",
                "unraisable " + ERR_MSG + " | pool-1-thread-1 | java.lang.IllegalArgumentException: boom-pool"
                        + " | in pool-1-thread-1",
                "unraisable " + ERR_MSG + " | dying-handled | java.lang.IllegalStateException: boom-handled"
                        + " | in dying-handled"));
        if (FEATURE_VERSION >= 21) {
            expected.add("unraisable " + ERR_MSG + " | dying-virtual | java.lang.UnsupportedOperationException:"
                    + " boom-virtual | in dying-virtual");
        }
        assertEquals(expected, reports, result::toString);
        assertTrue(result.stdoutLines().contains("future failed: boom-captured"),
                "a failure captured by a Future is not uncaught, as in the JDK: " + result);
        assertFalse(result.stdout().contains("own handler"), "the unraisable hook replaces the handler chain");
    }

    @Test
    void withNoOptionsTheJvmsHandlersAndOutputAreUnchanged() {
        List<String> modes = new ArrayList<>(List.of("platform", "pool", "handler", "future"));
        if (FEATURE_VERSION >= 21) {
            modes.add("virtual");
        }
        String[] args = modes.toArray(new String[0]);
        ChildJvm.Result plain = ChildJvm.runWithClassPath(List.of(), CLASS_PATH, APP, args);
        ChildJvm.Result agent = ChildJvm.runWithClassPath(List.of(ChildJvm.agent("")), CLASS_PATH, APP, args);
        assertEquals(0, plain.exitCode(), plain::toString);
        assertTrue(plain.stderr().contains("Exception in thread \"dying-platform\" java.lang.IllegalStateException: "
                + "boom-platform"), plain::toString);
        assertTrue(plain.stdout().contains("own handler: dying-handled boom-handled"), plain::toString);
        assertEquals(plain.exitCode(), agent.exitCode());
        assertEquals(plain.stdout(), agent.stdout());
        assertEquals(plain.stderr(), agent.stderr());
    }

    @Test
    void systemExitEndsAnyThreadSilentlyUnderTheAgent() {
        ChildJvm.Result plain = ChildJvm.runWithClassPath(List.of(), CLASS_PATH, APP, "systemexit");
        assertTrue(plain.stderr().contains("Exception in thread \"exiting-1\" dev.pythread.SystemExit: 3"),
                "without the agent the JVM does not know SystemExit: " + plain);
        ChildJvm.Result agent = ChildJvm.runWithClassPath(List.of(ChildJvm.agent("")), CLASS_PATH, APP, "systemexit", "exit");
        assertEquals(0, agent.exitCode(), agent::toString);
        assertEquals("", agent.stderr(), agent::toString);
        assertEquals(List.of("done"), agent.stdoutLines());
    }

    @Test
    void unraisablePythonPrintsCpythonsFormat() {
        ChildJvm.Result result = ChildJvm.runWithClassPath(List.of(ChildJvm.agent("unraisable=python")), CLASS_PATH, APP,
                "platform");
        assertEquals(0, result.exitCode(), result::toString);
        List<String> lines = result.stderrLines();
        assertTrue(lines.get(0).matches("Exception ignored in thread started by: Thread\\[(#\\d+,)?dying-platform,5,main]"),
                result::toString);
        assertEquals("java.lang.IllegalStateException: boom-platform", lines.get(1), result::toString);
        assertTrue(lines.get(2).startsWith("\tat dev.pythread.it.apps.Uncaught.lambda$main$"), result::toString);
        assertFalse(result.stderr().contains("Exception in thread"), result::toString);
    }
}
