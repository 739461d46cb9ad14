package dev.pythread.bench.suite;

import dev.pythread.bench.InterleavedStartJoin;
import dev.pythread.bench.suite.Configuration.Rotation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The thread-start configurations again, through {@link InterleavedStartJoin}, in each {@link Rotation} in turn:
 * {@link Settings#jvmsEach} JVMs of every {@link Configuration} the rotation runs (no agent in each) and, in the
 * jsonl rotation, of each interleaved {@link Floor}; all of a rotation's JVMs alive together and only one running at
 * a time, each running a block of start+joins in turn, round after round. A round's figure of a configuration is the
 * mean of its JVMs in that round. Each rotation runs {@link Settings#batches} times, with fresh JVMs each time, and
 * its rounds are those of all its batches: two JVMs of the same configuration differ by a few points all run long,
 * so more JVMs make a steadier figure than more rounds of the same ones.
 *
 * @param rotations    µs per start+join, round by round, of each rotation's configurations and floors
 * @param verification what {@code verify} said of the first chained JVM's log
 */
record InterleavedRounds(Map<Rotation, Rounds> rotations, String verification) {

    /** The rotation that ran the floors: the jsonl sink's, whose records they are the floors under. */
    static final Rotation FLOORS = Rotation.JSONL;

    /** Runs the rotations; writes each batch's raw table to {@code interleaved-ROTATION-BATCH.tsv}. */
    static InterleavedRounds run(Workspace workspace, Settings settings) throws IOException, InterruptedException {
        Map<Rotation, Rounds> rotations = new EnumMap<>(Rotation.class);
        for (Rotation rotation : Rotation.values()) {
            rotations.put(rotation, run(workspace, settings, rotation));
        }
        StartRounds.lines(log(workspace, Configuration.JSONL, 1, 1));
        String verification = workspace.verifyChain(log(workspace, Configuration.CHAIN, 1, 1),
                "il-chain-verify.txt");
        for (Configuration configuration : Configuration.values()) {
            for (int batch = 1; batch <= settings.batches(); batch++) {
                for (int each = 1; each <= settings.jvmsEach(); each++) {
                    Files.deleteIfExists(log(workspace, configuration, batch, each));
                }
            }
        }
        return new InterleavedRounds(rotations, verification);
    }

    private static Rounds run(Workspace workspace, Settings settings, Rotation rotation)
            throws IOException, InterruptedException {
        // The columns are the same in every batch: each JVM's place in the rotation.
        Map<Configuration, List<Integer>> configurationColumns = new EnumMap<>(Configuration.class);
        Map<Floor, List<Integer>> floorColumns = new EnumMap<>(Floor.class);
        List<long[]> table = new ArrayList<>();
        for (int batch = 1; batch <= settings.batches(); batch++) {
            configurationColumns.clear();
            floorColumns.clear();
            List<InterleavedStartJoin.Jvm> jvms = new ArrayList<>();
            for (int each = 1; each <= settings.jvmsEach(); each++) {
                for (Configuration configuration : configurationsOf(rotation)) {
                    configurationColumns.computeIfAbsent(configuration, c -> new ArrayList<>()).add(jvms.size());
                    Path log = log(workspace, configuration, batch, each);
                    jvms.add(new InterleavedStartJoin.Jvm(configuration.id(),
                            String.join(" ", configuration.jvmArgs(workspace, log))));
                }
                for (Floor floor : floorsOf(rotation)) {
                    floorColumns.computeIfAbsent(floor, f -> new ArrayList<>()).add(jvms.size());
                    jvms.add(new InterleavedStartJoin.Jvm(floor.interleavedId(), floor.interleavedArg()));
                }
            }
            table.addAll(InterleavedStartJoin.run(workspace.java().toString(), workspace.benchmarks().toString(),
                    settings.roundsPerBatch(), settings.starts(), settings.warmupRounds(rotation), jvms,
                    workspace.result("interleaved-" + rotation.name().toLowerCase(Locale.ROOT) + "-" + batch
                            + ".tsv")));
        }

        Rounds rounds = new Rounds(table.size(), settings.batches());
        for (int round = 1; round <= table.size(); round++) {
            long[] nanos = table.get(round - 1);
            for (Map.Entry<Configuration, List<Integer>> columns : configurationColumns.entrySet()) {
                rounds.put(columns.getKey(), round, meanMicros(nanos, columns.getValue()));
            }
            for (Map.Entry<Floor, List<Integer>> columns : floorColumns.entrySet()) {
                rounds.put(columns.getKey(), round, meanMicros(nanos, columns.getValue()));
            }
        }
        return rounds;
    }

    /** The rounds of {@code rotation}. */
    Rounds of(Rotation rotation) {
        return rotations.get(rotation);
    }

    /** The configurations {@code rotation} runs, in run order: no agent, and its own. */
    private static List<Configuration> configurationsOf(Rotation rotation) {
        return Arrays.stream(Configuration.values()).filter(c -> c.runsIn(rotation)).toList();
    }

    /** The floors {@code rotation} runs: all of them in {@link #FLOORS}, none elsewhere. */
    private static List<Floor> floorsOf(Rotation rotation) {
        return rotation == FLOORS ? List.of(Floor.values()) : List.of();
    }

    /** How many JVMs each rotation runs, in order: "8, 14 and 10". */
    static String jvmCounts(Settings settings) {
        List<String> counts = new ArrayList<>();
        for (Rotation rotation : Rotation.values()) {
            int jvms = (configurationsOf(rotation).size() + floorsOf(rotation).size()) * settings.jvmsEach();
            counts.add(Integer.toString(jvms));
        }
        return String.join(", ", counts.subList(0, counts.size() - 1)) + " and " + counts.get(counts.size() - 1);
    }

    /** The mean of some JVMs' figures of a round, in µs. */
    private static double meanMicros(long[] nanos, List<Integer> columns) {
        return columns.stream().mapToLong(i -> nanos[i]).average().orElseThrow() / 1000;
    }

    /** The audit log of a configuration's JVM, if it writes one. */
    private static Path log(Workspace workspace, Configuration configuration, int batch, int each) {
        return workspace.scratch().resolve("il-" + configuration.id() + "-" + batch + "-" + each + ".jsonl");
    }
}
