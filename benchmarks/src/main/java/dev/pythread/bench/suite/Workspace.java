package dev.pythread.bench.suite;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

/**
 * Where the suite works: the project's root (the current directory), the built jars, the {@code java} that runs the
 * suite and every JVM it starts, the results folder that keeps every raw output, and a scratch folder for the audit
 * logs and the policy file, deleted at the end.
 *
 * @param java       this JVM's {@code java}
 * @param benchmarks the benchmarks jar, this JVM's class path
 * @param agent      the agent jar
 * @param results    {@code benchmarks/target/results}, emptied first
 * @param scratch    a new temporary folder
 * @param policy     the 10-rule policy file, in the scratch folder
 * @param threadStartSettings a JFR settings file recording only {@code jdk.ThreadStart}, with stack traces
 */
record Workspace(Path java, Path benchmarks, Path agent, Path results, Path scratch, Path policy,
                 Path threadStartSettings) {

    /** Prepares the folders of a run from the current directory, the project's root. */
    static Workspace prepare() throws IOException {
        Path root = Path.of("").toAbsolutePath();
        Path agent = root.resolve("agent/target/pythread-agent.jar");
        Path benchmarks = Path.of(System.getProperty("java.class.path")).toAbsolutePath();
        if (!Files.isRegularFile(agent) || !Files.isRegularFile(benchmarks)) {
            throw new IllegalStateException("the build did not produce " + benchmarks + " and " + agent);
        }
        Path results = root.resolve("benchmarks/target/results");
        deleteTree(results);
        Files.createDirectories(results);
        Path scratch = Files.createTempDirectory("pythread-bench");
        Path policy = scratch.resolve("ten-rules.policy");
        try (InputStream rules = Workspace.class.getResourceAsStream("ten-rules.policy")) {
            Files.copy(rules, policy);
        }
        Path threadStartSettings = scratch.resolve("thread-start.jfc");
        try (InputStream settings = Workspace.class.getResourceAsStream("thread-start.jfc")) {
            Files.copy(settings, threadStartSettings);
        }
        return new Workspace(Path.of(System.getProperty("java.home"), "bin", "java"), benchmarks, agent, results,
                scratch, policy, threadStartSettings);
    }

    /** A file of the results folder. */
    Path result(String name) {
        return results.resolve(name);
    }

    /**
     * Checks a chained audit log with the agent's {@code verify}, keeps what it said in the results file
     * {@code name}, and returns it; fails if the log does not verify.
     */
    String verifyChain(Path log, String name) {
        Path said = result(name);
        boolean verified = Commands.succeeds(List.of(java.toString(), "-jar", agent.toString(), "verify",
                log.toString()), said);
        String text = read(said).strip();
        if (!verified) {
            throw new IllegalStateException("the chained log " + log + " does not verify: " + text);
        }
        return text;
    }

    /** Deletes the scratch folder. */
    void cleanUp() throws IOException {
        deleteTree(scratch);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path folder) throws IOException {
        if (Files.exists(folder)) {
            try (var paths = Files.walk(folder)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }
}
