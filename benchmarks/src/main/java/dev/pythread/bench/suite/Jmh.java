package dev.pythread.bench.suite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs JMH through its {@link Runner}, in forks of this JVM's {@code java} and class path. Each run leaves its log
 * ({@code NAME.log}) and JMH's JSON ({@code NAME.json}, for a reader) in the results folder; the suite reads the
 * {@code RunResult}s.
 *
 * <p>The forks inherit this JVM's options, as JMH's forks do: the suite's JVM is started with none.
 */
final class Jmh {

    private final Settings settings;
    private final Path results;

    Jmh(Settings settings, Path results) {
        this.settings = settings;
        this.results = results;
    }

    /** Every benchmark of {@code benchmarkClass}. */
    Scores run(String name, Class<?> benchmarkClass, UnaryOperator<ChainedOptionsBuilder> options) {
        return run(name, Pattern.quote(benchmarkClass.getName() + "."), options);
    }

    /** The benchmarks whose full names {@code include} finds, with the settings' iterations, then {@code options}. */
    Scores run(String name, String include, UnaryOperator<ChainedOptionsBuilder> options) {
        Path log = results.resolve(name + ".log");
        ChainedOptionsBuilder builder = new OptionsBuilder().include(include)
                .output(log.toString())
                .result(results.resolve(name + ".json").toString()).resultFormat(ResultFormatType.JSON);
        try {
            return new Scores(new Runner(options.apply(settings.iterations(builder)).build()).run());
        } catch (RunnerException e) {
            System.err.println(String.join("\n", tail(log)));
            throw new IllegalStateException("JMH run " + name + " failed (" + e.getMessage() + "); see " + log, e);
        }
    }

    private static List<String> tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return lines.subList(Math.max(0, lines.size() - 20), lines.size());
        } catch (IOException e) {
            return List.of("(no log: " + e + ")");
        }
    }
}
