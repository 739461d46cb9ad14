package dev.pythread.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a test application in a child JVM of the same JDK as the tests, with or without the built agent, and
 * captures what it prints. Output goes to files, not pipes, so a chatty child can never block.
 */
final class ChildJvm {

    static final Path AGENT_JAR = Path.of(System.getProperty("pythread.agent.jar")).toAbsolutePath().normalize();
    static final Path API_JAR = Path.of(System.getProperty("pythread.api.jar")).toAbsolutePath().normalize();
    static final String TEST_CLASSES = System.getProperty("pythread.test.classes");
    static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    static final int FEATURE_VERSION = Runtime.version().feature();
    /** How long a child may run before it counts as stuck. */
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);

    /** What a child JVM did. */
    record Result(int exitCode, String stdout, String stderr) {
        List<String> stdoutLines() {
            return stdout.isEmpty() ? List.of() : List.of(stdout.split("\n"));
        }

        List<String> stderrLines() {
            return stderr.isEmpty() ? List.of() : List.of(stderr.split("\n"));
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    private ChildJvm() {
    }

    /** {@code -javaagent:…pythread-agent.jar[=options]}. */
    static String agent(String options) {
        return "-javaagent:" + AGENT_JAR + (options.isEmpty() ? "" : "=" + options);
    }

    /** Runs {@code mainClass} from the test classes with the given JVM options. */
    static Result run(List<String> jvmOptions, String mainClass, String... args) {
        return runWithClassPath(jvmOptions, TEST_CLASSES, mainClass, args);
    }

    /** Runs {@code mainClass} from {@code classPath} with the given JVM options. */
    static Result runWithClassPath(List<String> jvmOptions, String classPath, String mainClass, String... args) {
        return runWithClassPath(DEFAULT_TIMEOUT, jvmOptions, classPath, mainClass, args);
    }

    /** As {@link #runWithClassPath(List, String, String, String...)}; stuck after {@code timeout}: a thread dump. */
    static Result runWithClassPath(Duration timeout, List<String> jvmOptions, String classPath, String mainClass,
                                   String... args) {
        List<String> command = new ArrayList<>();
        command.add(JAVA);
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classPath);
        command.add(mainClass);
        command.addAll(List.of(args));
        return exec(command, timeout);
    }

    static Result exec(List<String> command) {
        return exec(command, DEFAULT_TIMEOUT);
    }

    /**
     * Runs {@code command}; a child still running after {@code timeout} is stuck: the failure carries its threads
     * as {@code jcmd PID Thread.print} shows them (with any deadlock the JVM found), then the child is killed.
     */
    static Result exec(List<String> command, Duration timeout) {
        try {
            Path out = Files.createTempFile("child", ".out");
            Path err = Files.createTempFile("child", ".err");
            try {
                Process process = startInBackground(command, out, err);
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    String threads = threadDump(process.pid());
                    process.destroyForcibly().waitFor();
                    throw new AssertionError("child JVM timed out after " + timeout + ": " + command
                            + "\n--- threads\n" + threads + "--- stdout\n" + read(out) + "--- stderr\n" + read(err));
                }
                return new Result(process.exitValue(), read(out), read(err));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + command, e);
        }
    }

    /** Starts {@code command} with its stdout in {@code out}, its stderr in {@code err} and nothing on its stdin. */
    static Process startInBackground(List<String> command, Path out, Path err) throws IOException {
        return new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
    }

    /**
     * Waits for a child started in the background to print {@code ready PID} as its first line (its stdout redirected
     * to {@code out}) and returns the pid; fails if it dies first or takes over a minute.
     */
    static String awaitReady(Path out, Process child) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && child.isAlive()) {
            String text = read(out);
            int end = text.indexOf('\n');
            if (text.startsWith("ready ") && end > 0) {
                return text.substring("ready ".length(), end).trim();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("child never became ready: " + read(out));
    }

    /**
     * What {@code jcmd PID Thread.print} prints for a live child — every thread's stack and the JVM's own deadlock
     * detection — for the message of a test that found the child stuck. Never throws: a child that cannot be dumped
     * says why instead.
     */
    static String threadDump(long pid) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Path dump = Files.createTempFile("threads", ".txt");
            try {
                Process process = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "Thread.print")
                        .redirectErrorStream(true).redirectOutput(dump.toFile()).start();
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                    return "(jcmd did not answer within 30 s)\n" + read(dump);
                }
                return read(dump);
            } finally {
                Files.deleteIfExists(dump);
            }
        } catch (IOException e) {
            return "(no thread dump: " + e + ")\n";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(no thread dump: interrupted)\n";
        }
    }

    /** The name in {@code Thread[#21,name,5,main]} (JDK 19+) or {@code Thread[name,5,main]}. */
    static String threadName(String threadToString) {
        String inside = threadToString.substring(threadToString.indexOf('[') + 1, threadToString.lastIndexOf(']'));
        String[] parts = inside.split(",");
        return parts[0].startsWith("#") ? parts[1] : parts[0];
    }

    static String read(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    }
}
