package dev.pythread.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
        List<String> command = new ArrayList<>();
        command.add(JAVA);
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classPath);
        command.add(mainClass);
        command.addAll(List.of(args));
        return exec(command);
    }

    static Result exec(List<String> command) {
        try {
            Path out = Files.createTempFile("child", ".out");
            Path err = Files.createTempFile("child", ".err");
            try {
                Process process = new ProcessBuilder(command)
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                        .start();
                if (!process.waitFor(120, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                    throw new AssertionError("child JVM timed out: " + command + "\n" + read(out) + read(err));
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

    private static String read(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    }
}
