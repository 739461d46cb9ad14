package dev.pythread.bench.suite;

import static dev.pythread.bench.suite.Format.fixed;
import static dev.pythread.bench.suite.Format.list;
import static dev.pythread.bench.suite.Format.ratio;
import static dev.pythread.bench.suite.Format.row;
import static dev.pythread.bench.suite.Format.verdict;
import static dev.pythread.bench.suite.Format.withError;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The thread-start rows of RESULTS.md, from the JMH rounds and the interleaved ones: every ratio is the median of
 * per-round ratios (see {@link Stats}), the JMH rows give the range of those ratios and the interleaved rows their
 * middle half. Which rows there are, and their targets, is {@link Target}'s table.
 */
final class StartTables {

    private final Rounds jmh;
    private final InterleavedRounds interleaved;

    StartTables(StartRounds jmh, InterleavedRounds interleaved) {
        this.jmh = jmh.rounds();
        this.interleaved = interleaved;
    }

    /** The interleaved rounds that ran a target's two sides: its measured configuration's rotation. */
    private Rounds interleavedOf(Target target) {
        return interleaved.of(target.rotation());
    }

    /** The median µs of a no-agent start+join in the JMH rounds. */
    double plainMedian() {
        return Stats.median(jmh.of(Configuration.PLAIN));
    }

    /**
     * The JMH rows of the table against the targets, with after the policy's the cost of one policy decision.
     *
     * @param policyCheck {@code StartCheckBenchmark} under the 10-rule policy
     */
    List<String> targetRows(Scores policyCheck) {
        List<String> rows = new ArrayList<>();
        for (Target target : Target.values()) {
            if (!target.inJmhRounds()) {
                continue;
            }
            double[] ratios = Stats.ratios(jmh.of(target.measured()), jmh.of(target.baseline()));
            double median = Stats.median(ratios);
            double[] range = Stats.range(ratios);
            rows.add(row(target.label(), fixed(Stats.median(jmh.of(target.measured())), 1) + " µs",
                    target.jmhBaselineLabel() + ": " + fixed(Stats.median(jmh.of(target.baseline())), 1) + " µs",
                    ratio(median, target.target()) + "× (median of " + jmh.count() + " paired rounds; range "
                            + fixed(range[0], 2) + "–" + fixed(range[1], 2) + "×)" + jmhNote(target),
                    "≤ " + fixed(target.target(), 2) + "×", verdict(median <= target.target())));
            if (target == Target.POLICY_COST) {
                rows.add(row("one policy decision on a 40-frame stack (issue 11)",
                        withError(policyCheck.score("onStart"), policyCheck.error("onStart"), 0) + " ns", "–", "–",
                        "report", "–"));
            }
        }
        return rows;
    }

    /** What a JMH row says after its ratio: the floor under it, or the policy's cost over no agent. */
    private String jmhNote(Target target) {
        return switch (target) {
            case JSONL_COST -> "; the floor under any such record: " + floorRatio(jmh, target) + "× (below)";
            case CALLER, CHAIN_COST -> "; the floor: " + floorRatio(jmh, target) + "×";
            case POLICY_COST -> "; " + fixed(Stats.medianRatio(jmh.of(Configuration.POLICY),
                    jmh.of(Configuration.PLAIN)), 3) + "× no agent";
            default -> "";
        };
    }

    /** The rows of the interleaved table: every target, each from the rotation that ran both its sides. */
    List<String> interleavedRows() {
        List<String> rows = new ArrayList<>();
        for (Target target : Target.values()) {
            Rounds rounds = interleavedOf(target);
            double[] ratios = Stats.ratios(rounds.of(target.measured()), rounds.of(target.baseline()));
            double median = Stats.median(ratios);
            double[] middle = Stats.middleHalf(ratios);
            rows.add(row(target.label(), fixed(Stats.median(rounds.of(target.measured())), 1) + " µs",
                    target.interleavedBaselineLabel() + ": "
                            + fixed(Stats.median(rounds.of(target.baseline())), 1) + " µs",
                    ratio(median, target.target()) + "× (median of " + rounds.count() + " paired rounds"
                            + batchMedians(rounds, ratios) + "; middle half " + fixed(middle[0], 2) + "–"
                            + fixed(middle[1], 2) + "×)" + interleavedNote(target),
                    "≤ " + fixed(target.target(), 2) + "×", verdict(median <= target.target())));
        }
        return rows;
    }

    /**
     * Where fresh JVMs ran the rounds in batches, the median ratio of each: ", in 3 batches of fresh JVMs: 1.140,
     * 1.170, 1.150"; nothing for rounds of the same JVMs.
     */
    private static String batchMedians(Rounds rounds, double[] ratios) {
        if (rounds.batches() == 1) {
            return "";
        }
        double[] medians = Arrays.stream(rounds.byBatch(ratios)).mapToDouble(Stats::median).toArray();
        return ", in " + rounds.batches() + " batches of fresh JVMs: " + list(medians, 3, "").replace(" ", ", ");
    }

    /**
     * What an interleaved row says after its ratio: the floor under it; under {@code audit=jsonl} also that floor
     * times the agent's own base (its row without a sink, from the agent's rotation), which every record's cost
     * comes on top of, so that what the sink itself adds reads as the difference.
     */
    private String interleavedNote(Target target) {
        return switch (target) {
            case JSONL_COST -> {
                Rounds rounds = interleavedOf(target);
                double floor = floorMedian(rounds, target);
                double base = interleavedMedian(Configuration.AGENT);
                yield "; the floor: " + fixed(floor, 3) + "×, times the agent's own base (" + fixed(base, 3)
                        + "×, its row without a sink): " + fixed(floor * base, 3) + "×";
            }
            case CHAIN_COST -> "; the floor: " + floorRatio(interleavedOf(target), target) + "×";
            default -> "";
        };
    }

    private double interleavedMedian(Configuration configuration) {
        Rounds rounds = interleaved.of(configuration.rotation());
        return Stats.medianRatio(rounds.of(configuration), rounds.of(Configuration.PLAIN));
    }

    /** A configuration against no agent in its own rotation, in the interleaved rounds: "1.052". */
    String interleavedRatio(Configuration configuration) {
        return fixed(interleavedMedian(configuration), 3);
    }

    /** A floor against another, or against no agent (null), in the interleaved rounds (of the jsonl rotation). */
    String interleavedRatio(Floor floor, Floor baseline) {
        Rounds rounds = interleaved.of(InterleavedRounds.FLOORS);
        double[] base = baseline == null ? rounds.of(Configuration.PLAIN) : rounds.of(baseline);
        return fixed(Stats.medianRatio(rounds.of(floor), base), 3);
    }

    /**
     * The floor under a target's configuration against the floor under its baseline, or against the baseline itself
     * when that has none (no agent).
     */
    private static String floorRatio(Rounds rounds, Target target) {
        return fixed(floorMedian(rounds, target), 3);
    }

    private static double floorMedian(Rounds rounds, Target target) {
        Floor baselineFloor = Floor.of(target.baseline());
        double[] base = baselineFloor == null ? rounds.of(target.baseline()) : rounds.of(baselineFloor);
        return Stats.medianRatio(rounds.of(Floor.of(target.measured())), base);
    }

    /** The raw {@code ThreadStartBenchmark} table: each configuration's fork, round by round. */
    List<String> startRows() {
        List<String> rows = new ArrayList<>();
        for (Configuration configuration : Configuration.jmhRounds()) {
            double[] figures = jmh.of(configuration);
            rows.add(row(configuration.jmhLabel(), fixed(Stats.median(figures), 1), list(figures, 1, ""),
                    configuration == Configuration.PLAIN ? "–"
                            : list(Stats.ratios(figures, jmh.of(Configuration.PLAIN)), 3, "×")));
        }
        return rows;
    }

    /** The raw {@code RecordFloorBenchmark} table, beside the agent configuration each floor is under. */
    List<String> floorRows() {
        List<String> rows = new ArrayList<>();
        double[] plain = jmh.of(Configuration.PLAIN);
        for (Floor floor : Floor.values()) {
            double[] figures = jmh.of(floor);
            rows.add(row(floor.label(), fixed(Stats.median(figures), 1), list(figures, 1, ""),
                    fixed(Stats.medianRatio(figures, plain), 3) + "×",
                    floor.underLabel() + ": " + fixed(Stats.medianRatio(jmh.of(floor.under()), plain), 3) + "×"));
        }
        return rows;
    }
}
