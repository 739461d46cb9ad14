package dev.pythread.bench.suite;

import dev.pythread.bench.InterleavedStartJoin;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The thread-start configurations again, through {@link InterleavedStartJoin}: {@link Settings#jvmsEach} JVMs of
 * every {@link Configuration} and of each interleaved {@link Floor}, all alive together and only one running at a
 * time, each running a block of start+joins in turn, round after round. A round's figure of a configuration is the
 * mean of its JVMs in that round.
 *
 * @param rounds       µs per start+join, round by round
 * @param verification what {@code verify} said of the first chained JVM's log
 */
record InterleavedRounds(Rounds rounds, String verification) {

    /** Runs the rounds; writes the raw table to {@code interleaved.tsv}. */
    static InterleavedRounds run(Workspace workspace, Settings settings) throws IOException, InterruptedException {
        List<InterleavedStartJoin.Jvm> jvms = new ArrayList<>();
        Map<Configuration, List<Integer>> configurationColumns = new EnumMap<>(Configuration.class);
        Map<Floor, List<Integer>> floorColumns = new EnumMap<>(Floor.class);
        for (int each = 1; each <= settings.jvmsEach(); each++) {
            for (Configuration configuration : Configuration.values()) {
                configurationColumns.computeIfAbsent(configuration, c -> new ArrayList<>()).add(jvms.size());
                Path log = log(workspace, configuration, each);
                jvms.add(new InterleavedStartJoin.Jvm(configuration.id(),
                        String.join(" ", configuration.jvmArgs(workspace, log))));
            }
            for (Floor floor : Floor.values()) {
                if (floor.interleavedId() != null) {
                    floorColumns.computeIfAbsent(floor, f -> new ArrayList<>()).add(jvms.size());
                    jvms.add(new InterleavedStartJoin.Jvm(floor.interleavedId(), floor.interleavedArg()));
                }
            }
        }
        List<long[]> table = InterleavedStartJoin.run(workspace.java().toString(), workspace.benchmarks().toString(),
                settings.rounds(), settings.starts(), settings.warmupRounds(), jvms,
                workspace.result("interleaved.tsv"));

        Rounds rounds = new Rounds(table.size());
        for (int round = 1; round <= table.size(); round++) {
            long[] nanos = table.get(round - 1);
            for (Map.Entry<Configuration, List<Integer>> columns : configurationColumns.entrySet()) {
                rounds.put(columns.getKey(), round, meanMicros(nanos, columns.getValue()));
            }
            for (Map.Entry<Floor, List<Integer>> columns : floorColumns.entrySet()) {
                rounds.put(columns.getKey(), round, meanMicros(nanos, columns.getValue()));
            }
        }

        StartRounds.lines(log(workspace, Configuration.JSONL, 1));
        String verification = workspace.verifyChain(log(workspace, Configuration.CHAIN, 1), "il-chain-verify.txt");
        for (Configuration configuration : Configuration.values()) {
            for (int each = 1; each <= settings.jvmsEach(); each++) {
                Files.deleteIfExists(log(workspace, configuration, each));
            }
        }
        return new InterleavedRounds(rounds, verification);
    }

    /** The mean of some JVMs' figures of a round, in µs. */
    private static double meanMicros(long[] nanos, List<Integer> columns) {
        return columns.stream().mapToLong(i -> nanos[i]).average().orElseThrow() / 1000;
    }

    /** The audit log of a configuration's JVM, if it writes one. */
    private static Path log(Workspace workspace, Configuration configuration, int each) {
        return workspace.scratch().resolve("il-" + configuration.id() + "-" + each + ".jsonl");
    }
}
