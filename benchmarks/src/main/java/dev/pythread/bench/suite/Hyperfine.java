package dev.pythread.bench.suite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A second opinion on start-up wall time, from hyperfine when it is installed: the same hello-world JVM as
 * {@code startup.sh}, with and without the agent. Its outputs are kept as {@code hyperfine.txt}, {@code .json} and
 * {@code .csv}; the suite reads the CSV.
 *
 * @param plainMillis median wall time without the agent
 * @param agentMillis ... with the agent
 */
record Hyperfine(double plainMillis, double agentMillis) {

    /** The JVM timed: a hello-world that starts and joins one thread. */
    private static final String HELLO = "-cp integration-tests/target/test-classes dev.pythread.it.apps.Hello";

    /** Whether hyperfine is installed. */
    static boolean installed() {
        return Commands.onPath("hyperfine");
    }

    /** Runs hyperfine: 3 warm-up runs, then {@code runs} runs of each JVM. */
    static Hyperfine measure(Workspace workspace, int runs) throws IOException {
        Path csv = workspace.result("hyperfine.csv");
        String java = workspace.java().toString();
        List<String> command = List.of("hyperfine", "-N", "--style", "none", "--warmup", "3",
                "--runs", Integer.toString(runs), "--export-json", workspace.result("hyperfine.json").toString(),
                "--export-csv", csv.toString(),
                "-n", "no agent", java + " " + HELLO,
                "-n", "agent", java + " -javaagent:" + workspace.agent() + " " + HELLO);
        if (!Commands.succeeds(command, workspace.result("hyperfine.txt"))) {
            throw new IllegalStateException("hyperfine failed; see " + workspace.result("hyperfine.txt"));
        }
        List<String> lines = Files.readAllLines(csv);
        return new Hyperfine(median(lines, "no agent"), median(lines, "agent"));
    }

    /**
     * A command's median wall time from hyperfine's CSV, in ms. The column is {@code median} in hyperfine 1.x and
     * {@code time_wall_clock_median} in later versions, in seconds either way.
     */
    static double median(List<String> csv, String name) {
        List<String> header = Arrays.asList(csv.get(0).split(","));
        int column = header.contains("median") ? header.indexOf("median") : header.indexOf("time_wall_clock_median");
        for (String line : csv.subList(1, csv.size())) {
            String[] cells = line.split(",");
            if (column > 0 && cells[0].replace("\"", "").equals(name)) {
                return Double.parseDouble(cells[column]) * 1000;
            }
        }
        throw new IllegalStateException("hyperfine's CSV has no median of '" + name + "': " + csv);
    }
}
