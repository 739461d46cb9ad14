package dev.pythread.bench.suite;

import dev.pythread.bench.RecordFloorBenchmark;
import dev.pythread.bench.ThreadStartBenchmark;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

/**
 * The JMH thread-start rounds: in each round a fresh fork of {@link ThreadStartBenchmark} per configuration that
 * {@link Configuration#inJmhRounds} and one of {@link RecordFloorBenchmark} (the floors), forward in odd rounds and
 * backward in even ones. A configuration and its baseline are so measured within a minute of each other, in both
 * orders alike; the report divides figures round by round.
 */
final class StartRounds {

    /** One fork of a round. */
    private interface Fork {
        void run(int round) throws IOException;
    }

    private final Jmh jmh;
    private final Workspace workspace;
    private final Rounds rounds;
    private final Path log;
    private final List<String> verifications = new ArrayList<>();
    private long jsonlRecords;

    private StartRounds(Jmh jmh, Workspace workspace, int count) {
        this.jmh = jmh;
        this.workspace = workspace;
        this.rounds = new Rounds(count);
        this.log = workspace.scratch().resolve("threads.jsonl");
    }

    /** Runs the rounds. */
    static StartRounds run(Jmh jmh, Workspace workspace, int count) throws IOException {
        StartRounds run = new StartRounds(jmh, workspace, count);
        List<String> names = new ArrayList<>();
        List<Fork> forks = new ArrayList<>();
        for (Configuration configuration : Configuration.jmhRounds()) {
            names.add(configuration.id());
            forks.add(round -> run.fork(configuration, round));
        }
        names.add("floor");
        forks.add(run::floors);
        for (int round = 1; round <= count; round++) {
            for (Fork fork : forks) {
                fork.run(round);
            }
            System.out.println("   round " + round + " done (" + String.join(" ", names) + ")");
            Collections.reverse(names); // the next round runs backwards
            Collections.reverse(forks);
        }
        return run;
    }

    /** Each fork's score, round by round. */
    Rounds rounds() {
        return rounds;
    }

    /** The lines the {@code audit=jsonl} fork of the last round wrote: one per start. */
    long jsonlRecords() {
        return jsonlRecords;
    }

    /** What {@code verify} said of each round's chained log. */
    List<String> verifications() {
        return verifications;
    }

    private void fork(Configuration configuration, int round) throws IOException {
        String[] jvmArgs = configuration.jvmArgs(workspace, log).toArray(String[]::new);
        Scores scores = jmh.run("ts-" + configuration.id() + "-" + round, ThreadStartBenchmark.class,
                options -> jvmArgs.length == 0 ? options : options.jvmArgsAppend(jvmArgs));
        rounds.put(configuration, round, scores.score("startJoin"));
        if (configuration == Configuration.JSONL) {
            jsonlRecords = lines(log);
        } else if (configuration == Configuration.CHAIN) {
            verifications.add(workspace.verifyChain(log, "chain-verify-" + round + ".txt"));
        }
        Files.deleteIfExists(log);
    }

    /** No agent: the system work under a record, inline, before each start. */
    private void floors(int round) {
        Scores scores = jmh.run("ts-floor-" + round, RecordFloorBenchmark.class, options -> options);
        for (Floor floor : Floor.values()) {
            rounds.put(floor, round, scores.score(floor.method()));
        }
    }

    /** The lines of an audit log; fails if the agent wrote none. */
    static long lines(Path log) {
        if (!Files.exists(log)) {
            throw new IllegalStateException("the agent wrote no audit records to " + log);
        }
        try (Stream<String> lines = Files.lines(log)) {
            long count = lines.count();
            if (count == 0) {
                throw new IllegalStateException("the agent wrote no audit records to " + log);
            }
            return count;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
