package dev.pythread.bench.suite;

import dev.pythread.bench.suite.Configuration.Rotation;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * How long the suite measures: the full run that writes {@code benchmarks/RESULTS.md} (on JDK 17, the agent's
 * baseline JDK; on another JDK {@code benchmarks/RESULTS-jdkN.md}, so that one JDK's run does not overwrite the
 * other's), or {@code --quick}, a smoke
 * run of the harness itself (tiny iterations, figures meaningless) written to
 * {@code benchmarks/target/RESULTS-quick.md}.
 *
 * @param quick          whether this is the smoke run
 * @param output         the report's path, relative to the project's root
 * @param startRounds    interleaved JMH rounds of the thread-start configurations (even: both orders alike)
 * @param startupRuns    whole-process runs of each configuration in {@code startup.sh}, and hyperfine's runs
 * @param contendedForks JMH forks of {@code ContendedLockBenchmark}: two threads on two shared cores, the noisiest
 * @param jvmsEach       {@code InterleavedStartJoin}: JVMs per configuration, all alive together
 * @param batches        ... how many times each rotation runs, with fresh JVMs each time
 * @param rounds         ... its measured rounds, in all of a rotation's batches together (a multiple of them)
 * @param warmupRounds   ... the rounds before those, in each batch
 * @param jfrWarmupRounds ... the same in the rotation of JFR and the jfr sink ({@link #warmupRounds(Rotation)})
 * @param starts         ... start+joins per JVM and round
 * @param timeitOptions  options of CPython's {@code timeit}
 */
record Settings(boolean quick, String output, int startRounds, int startupRuns, int contendedForks, int jvmsEach,
        int batches, int rounds, int warmupRounds, int jfrWarmupRounds, int starts, List<String> timeitOptions) {

    Settings {
        if (batches < 1 || rounds % batches != 0) {
            throw new IllegalArgumentException(rounds + " rounds do not split into " + batches + " batches");
        }
    }

    /**
     * The full suite: about 17 minutes on 2 cores. Two JVMs per configuration alive together in the interleaved
     * rounds, as issue 21 measured, in three rotations ({@link Configuration.Rotation}) of 8, 14 and 10 JVMs: in one
     * rotation of all 14 configurations and floors, three each made 42 JVMs take turns, and each turn began with
     * caches the 41 others had used. 120 rounds, a second each: on a shared machine single rounds range from 0.9× to
     * 2× (measured), and the median of 40 still moved by 10 points between runs. In three batches of 40, each with
     * fresh JVMs, so that a configuration's figure comes from 6 JVMs, not 2: two JVMs of one configuration, in the
     * same rounds, differed by up to 4.9 points all run long (measured: the same build, the same options), more than
     * the rounds' own noise moves a median of 120. Each batch's JVMs first run 70 rounds unmeasured, 21 000 starts:
     * the agent's path runs once per start, so the JIT compiles it late ({@code -XX:+PrintCompilation}: its file's
     * {@code write} reached C2 after about 20 000 starts), and with 6 rounds of warm-up 40 measured rounds had
     * {@code audit=jsonl} at 1.12–1.13× no agent, against 1.085× once warm (the floor under it: 1.08–1.11×). Not
     * 140: two suites with 140 had {@code audit=jsonl} at 1.225× and 1.211×, its two JVMs of each batch rising
     * together from about 1.12× to 1.27× between rounds 154 and 166, and the other agent configurations less, while
     * no-agent JVMs did not; a batch of 70 + 40 rounds ends before that. JFR's rotation warms up for 140: see
     * {@link #warmupRounds(Rotation)}.
     */
    static Settings full() {
        return new Settings(false, fullOutput(Runtime.version().feature()), 4, 20, 2, 2, 3, 120, 70, 140, 300,
                List.of());
    }

    /** Where the full run on JDK {@code feature} writes its report. */
    static String fullOutput(int feature) {
        return feature == 17 ? "benchmarks/RESULTS.md" : "benchmarks/RESULTS-jdk" + feature + ".md";
    }

    /**
     * The unmeasured rounds of each batch of {@code rotation}: longer under JFR, whose sink's path the JIT settles
     * late. With {@code -Xlog:jit+compilation} on a jfr sink's JVM in that rotation (JDK 17, 10 JVMs),
     * {@code Thread.start} and {@code ThreadDispatch.onStart} went from C2 back to C1 and were compiled again three
     * times, the last at 42 s, some 105 rounds in, while the agent without a sink under the same recording had its path
     * in C2 for good at 11 s. Two suites with 70 rounds of warm-up had {@code audit=jfr} at 1.026× and 1.029× JFR's
     * own record; two with 140, at 1.008× and 1.005×.
     */
    int warmupRounds(Rotation rotation) {
        return rotation == Rotation.JFR ? jfrWarmupRounds : warmupRounds;
    }

    /** The measured rounds of one batch of a rotation's JVMs. */
    int roundsPerBatch() {
        return rounds / batches;
    }

    /** The smoke run: its interleaved rounds in three batches too, one round each, so that batching is run. */
    static Settings smoke() {
        return new Settings(true, "benchmarks/target/RESULTS-quick.md", 2, 3, 1, 1, 3, 3, 1, 1, 50,
                List.of("-n", "100000", "-r", "1"));
    }

    /**
     * Applies the iterations: nothing for the full run, where each benchmark class's own {@code @Warmup},
     * {@code @Measurement} and {@code @Fork} hold; one short iteration of each in one fork for the smoke run.
     */
    ChainedOptionsBuilder iterations(ChainedOptionsBuilder options) {
        if (!quick) {
            return options;
        }
        TimeValue short200ms = new TimeValue(200, TimeUnit.MILLISECONDS);
        return options.warmupIterations(1).measurementIterations(1).warmupTime(short200ms)
                .measurementTime(short200ms).forks(1);
    }
}
