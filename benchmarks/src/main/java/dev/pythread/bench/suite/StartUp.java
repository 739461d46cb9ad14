package dev.pythread.bench.suite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whole-process start-up with and without the agent, from {@code benchmarks/startup.sh}: it times a hello-world JVM
 * with GNU {@code time}, for wall time and peak RSS, which no JVM can measure of itself. Its output is kept as
 * {@code startup.txt}.
 *
 * @param text        what {@code startup.sh} printed, for the report to quote
 * @param plainMillis median wall time without the agent
 * @param plainKib    median peak RSS without the agent
 * @param agentMillis ... with the agent
 * @param agentKib    ... with the agent
 */
record StartUp(String text, long plainMillis, long plainKib, long agentMillis, long agentKib) {

    /** "  without agent: 120 ms, 38188 KiB peak RSS" */
    private static final Pattern FIGURES = Pattern.compile("(without|with) agent: *(\\d+) ms, (\\d+) KiB");

    /** Runs {@code startup.sh} with this JVM's JDK, {@code runs} runs of each JVM. */
    static StartUp measure(Workspace workspace, int runs) throws IOException {
        Path out = workspace.result("startup.txt");
        Commands.toFiles(List.of("bash", "benchmarks/startup.sh", System.getProperty("java.home"),
                Integer.toString(runs)), out, workspace.result("startup.err"));
        String text = Files.readString(out).stripTrailing();
        Map<String, long[]> figures = new HashMap<>();
        Matcher matcher = FIGURES.matcher(text);
        while (matcher.find()) {
            figures.put(matcher.group(1), new long[] {Long.parseLong(matcher.group(2)),
                Long.parseLong(matcher.group(3))});
        }
        if (figures.size() != 2) {
            throw new IllegalStateException("benchmarks/startup.sh printed no figures: " + text);
        }
        long[] plain = figures.get("without");
        long[] agent = figures.get("with");
        return new StartUp(text, plain[0], plain[1], agent[0], agent[1]);
    }
}
