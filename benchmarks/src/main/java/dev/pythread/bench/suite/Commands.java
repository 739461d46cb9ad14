package dev.pythread.bench.suite;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The other programs the suite runs: child JVMs, the agent's {@code verify}, python3, git, hyperfine, the start-up
 * script. Their input is empty; their output goes to files, which the results folder keeps.
 */
final class Commands {

    private Commands() {
    }

    /** Runs {@code command}; returns its standard output; fails with its output if it does not exit 0. */
    static String output(List<String> command) {
        try {
            Path out = Files.createTempFile("pythread-bench", ".out");
            try {
                if (!succeeds(command, out)) {
                    throw new IllegalStateException(command.get(0) + " failed: " + Files.readString(out).strip());
                }
                return Files.readString(out);
            } finally {
                Files.delete(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code command} with its standard output and error to files; fails if it does not exit 0. */
    static void toFiles(List<String> command, Path out, Path err) {
        if (status(new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())) != 0) {
            throw new IllegalStateException(command.get(0) + " failed; see " + err);
        }
    }

    /** Runs {@code command} with both outputs to one file, and says whether it exited 0. */
    static boolean succeeds(List<String> command, Path output) {
        return status(new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())) == 0;
    }

    /** Whether an executable {@code name} is on the {@code PATH}, as the shell's {@code command -v} finds one. */
    static boolean onPath(String name) {
        return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, name)));
    }

    private static int status(ProcessBuilder builder) {
        try {
            Process process = builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            return process.waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + builder.command(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for " + builder.command(), e);
        }
    }
}
