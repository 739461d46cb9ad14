package dev.pythread.bench.suite;

import dev.pythread.bench.AuditBenchmark;
import dev.pythread.bench.ContendedLockBenchmark;
import dev.pythread.bench.LockBenchmark;
import dev.pythread.bench.StartCheckBenchmark;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.openjdk.jmh.profile.GCProfiler;

/**
 * The whole benchmark suite of issue 7, after {@code benchmarks/run.sh} has built the project: JOL object sizes,
 * CPython's lock, the JMH benchmarks (Lock, contended Lock, Audit with {@code -prof gc}, thread start+join with and
 * without the agent, its sinks, caller attribution, the chain and a policy, in JMH rounds and in interleaved JVMs; the
 * floor under a record; the agent's share of one start; one record alone) and whole-process start-up; then
 * {@link Report} writes RESULTS.md. Nothing fails on a missed target: benchmarks measure, they report.
 *
 * <p>usage, from the project's root: {@code java -cp benchmarks/target/benchmarks.jar dev.pythread.bench.suite.Suite
 * [--quick] [--started EPOCH_SECONDS]}, with no JVM options (JMH's forks inherit them). {@code --started} is when
 * {@code run.sh} began, so that times include the build.
 */
public final class Suite {

    /** When {@code run.sh} began, in seconds since the epoch: the steps' clock and the report's duration. */
    private static long started = Instant.now().getEpochSecond();

    private Suite() {
    }

    /** @param args {@code [--quick] [--started EPOCH_SECONDS]} */
    public static void main(String[] args) {
        Settings settings = Settings.full();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--quick")) {
                settings = Settings.smoke();
            } else if (args[i].equals("--started") && i + 1 < args.length) {
                started = Long.parseLong(args[++i]);
            } else {
                System.err.println("usage: benchmarks/run.sh [--quick]");
                System.exit(2);
            }
        }
        try {
            run(settings);
        } catch (IllegalStateException e) { // a check of the suite's own: its message says it all
            System.err.println("benchmarks/run.sh: " + e.getMessage());
            System.exit(1);
        } catch (IOException | InterruptedException | RuntimeException e) {
            e.printStackTrace();
            System.exit(1);
        }
    }

    /** Prints a step of the run, with the seconds since {@code run.sh} began. */
    private static void step(String what) {
        System.out.printf("== [%3ds] %s%n", elapsedSeconds(), what);
    }

    private static long elapsedSeconds() {
        return Instant.now().getEpochSecond() - started;
    }

    private static void run(Settings settings) throws IOException, InterruptedException {
        Workspace workspace = Workspace.prepare();
        try {
            Measurements measured = measure(settings, workspace);
            long seconds = elapsedSeconds();
            step("writing " + settings.output());
            Files.writeString(Path.of(settings.output()), new Report(settings, measured, seconds).text());
            step("done in " + Report.duration(seconds) + ": " + settings.output());
        } finally {
            workspace.cleanUp();
        }
    }

    private static Measurements measure(Settings settings, Workspace workspace)
            throws IOException, InterruptedException {
        String loadBefore = Machine.loadAverage();
        step("JOL: object sizes");
        Sizes sizes = Sizes.measure(workspace);
        CPython cpython = null;
        if (Commands.onPath("python3")) {
            step("CPython: python3 -m timeit on _thread.allocate_lock()");
            cpython = CPython.measure(workspace, settings);
        } else {
            System.out.println("   python3 not found: the CPython row will say so");
        }

        Jmh jmh = new Jmh(settings, workspace.results());
        step("JMH: LockBenchmark, uncontended (9 benchmarks, ~80 s)");
        Scores lock = jmh.run("lock", LockBenchmark.class, options -> options);
        step("JMH: ContendedLockBenchmark, 2 threads (" + settings.contendedForks() + " fork(s) of 4 benchmarks)");
        Scores contended = jmh.run("contended", ContendedLockBenchmark.class,
                options -> options.forks(settings.contendedForks()));
        step("JMH: AuditBenchmark with -prof gc (6 benchmarks, ~55 s)");
        Scores audit = jmh.run("audit", AuditBenchmark.class, options -> options.addProfiler(GCProfiler.class));

        step("JMH: ThreadStartBenchmark and RecordFloorBenchmark, " + settings.startRounds()
                + " interleaved rounds of seven configurations (~60 s each)");
        StartRounds starts = StartRounds.run(jmh, workspace, settings.startRounds());
        step("Interleaved JVMs: InterleavedStartJoin, three rotations of " + InterleavedRounds.jvmCounts(settings)
                + " JVMs (" + settings.jvmsEach() + " per configuration) alive together, one running at a time, "
                + settings.rounds() + " rounds each in " + settings.batches() + " batch(es) of fresh JVMs, each after "
                + settings.warmupRounds() + " rounds of warm-up, " + settings.jfrWarmupRounds() + " in JFR's (~9 min)");
        InterleavedRounds interleaved = InterleavedRounds.run(workspace, settings);

        step("JMH: StartCheckBenchmark, the agent's share of one start on a 40-frame stack: policy, record, caller"
                + " (~40 s)");
        Path log = workspace.scratch().resolve("threads.jsonl");
        Map<Configuration, Scores> checks = new EnumMap<>(Configuration.class);
        for (Configuration configuration : List.of(Configuration.POLICY, Configuration.JSONL, Configuration.NOCALLER,
                Configuration.CHAIN)) {
            String[] jvmArgs = configuration.jvmArgs(workspace, log).toArray(String[]::new);
            checks.put(configuration, jmh.run("check-" + configuration.id(), StartCheckBenchmark.class,
                    options -> options.jvmArgsAppend(jvmArgs)));
            Files.deleteIfExists(log);
        }
        step("JMH: one jsonl record alone: Audit.audit(event, arg) under the agent with audit=jsonl (~10 s)");
        String[] jsonl = Configuration.JSONL.jvmArgs(workspace, log).toArray(String[]::new);
        Scores record = jmh.run("record", Pattern.quote(AuditBenchmark.class.getName() + ".audit1") + "$",
                options -> options.timeUnit(TimeUnit.MICROSECONDS).jvmArgsAppend(jsonl));
        long recordLines = lineCount(log);
        Files.deleteIfExists(log);

        step("start-up: benchmarks/startup.sh, " + settings.startupRuns() + " interleaved runs each");
        StartUp startUp = StartUp.measure(workspace, settings.startupRuns());
        Hyperfine hyperfine = null;
        if (Hyperfine.installed()) {
            step("start-up: hyperfine, a second opinion on wall time");
            hyperfine = Hyperfine.measure(workspace, settings.startupRuns());
        }
        return new Measurements(lock, contended, audit, starts, interleaved, checks, record, recordLines, sizes,
                cpython, startUp, hyperfine, loadBefore, Machine.loadAverage());
    }

    private static long lineCount(Path file) {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
