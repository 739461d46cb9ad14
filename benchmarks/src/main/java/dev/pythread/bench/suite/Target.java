package dev.pythread.bench.suite;

import static dev.pythread.bench.suite.Configuration.AGENT;
import static dev.pythread.bench.suite.Configuration.AGENT_JFR;
import static dev.pythread.bench.suite.Configuration.CHAIN;
import static dev.pythread.bench.suite.Configuration.JFR_SINK;
import static dev.pythread.bench.suite.Configuration.JFR_THREAD_START;
import static dev.pythread.bench.suite.Configuration.JSONL;
import static dev.pythread.bench.suite.Configuration.NOCALLER;
import static dev.pythread.bench.suite.Configuration.NOINVENTORY;
import static dev.pythread.bench.suite.Configuration.PLAIN;
import static dev.pythread.bench.suite.Configuration.POLICY;

/**
 * The thread-start rows of RESULTS.md: a {@link Configuration} against its baseline, with the most the ratio of the two
 * may be. The table against the targets shows those the JMH rounds measured; the interleaved table shows them all.
 */
enum Target {

    //        measured baseline     target  label
    //        the baseline's label in the interleaved table; in the JMH table (null: interleaved only)
    AGENT_COST(AGENT, PLAIN, 1.03, "thread start+join, agent without sink",
            "no agent", "same loop, no agent"),
    INVENTORY(AGENT, NOINVENTORY, 1.02,
            "thread start+join, the live-thread inventory (issue 20: `PID threads` never run)",
            "`inventory=off`", null),
    JSONL_COST(JSONL, PLAIN, 1.15, "thread start+join, agent with `audit=jsonl`",
            "no agent", "same loop, no agent"),
    CALLER(JSONL, NOCALLER, 1.10, "thread start+join, `audit=jsonl` with caller attribution (issue 11)",
            "`caller=off`", "the same with `caller=off`"),
    POLICY_COST(POLICY, AGENT, 1.10, "thread start+join, a 10-rule `policy=` (issue 11)",
            "the agent without a policy", "the agent without a policy"),
    CHAIN_COST(CHAIN, PLAIN, 1.25, "thread start+join, `audit=jsonl,chain=sha256` (issue 9)",
            "no agent", "same loop, no agent"),
    JFR_SINK_COST(JFR_SINK, PLAIN, 1.03,
            "thread start+join, `audit=jfr` under a recording of `jdk.ThreadStart` with stack traces (issue 21)",
            "no agent, no recording", null),
    JFR_SINK_VS_JFR(JFR_SINK, JFR_THREAD_START, 1.02,
            "thread start+join, `audit=jfr` against JFR's own `jdk.ThreadStart` record (issue 21)",
            "the same recording, no agent", null),
    AGENT_UNDER_JFR(AGENT_JFR, JFR_THREAD_START, 1.03,
            "thread start+join, agent without sink under that recording: the floor under `audit=jfr` against JFR",
            "the same recording, no agent", null),
    JFR_SINK_ALONE(JFR_SINK, AGENT_JFR, 1.02,
            "thread start+join, `audit=jfr` against the agent without a sink under that recording: the sink's own "
                    + "cost (issue 21)",
            "the agent without a sink, same recording", null);

    private final Configuration measured;
    private final Configuration baseline;
    private final double target;
    private final String label;
    private final String interleavedBaselineLabel;
    private final String jmhBaselineLabel;

    Target(Configuration measured, Configuration baseline, double target, String label,
            String interleavedBaselineLabel, String jmhBaselineLabel) {
        this.measured = measured;
        this.baseline = baseline;
        this.target = target;
        this.label = label;
        this.interleavedBaselineLabel = interleavedBaselineLabel;
        this.jmhBaselineLabel = jmhBaselineLabel;
    }

    /**
     * The interleaved rotation that measures the row: its measured configuration's, which runs the baseline too.
     *
     * @throws IllegalStateException if the table pairs configurations of two rotations
     */
    Configuration.Rotation rotation() {
        Configuration.Rotation rotation = measured.rotation();
        if (rotation == null || !baseline.runsIn(rotation)) {
            throw new IllegalStateException(this + ": " + measured + " and " + baseline + " share no rotation");
        }
        return rotation;
    }

    /** The configuration whose cost the row shows. */
    Configuration measured() {
        return measured;
    }

    /** What it is divided by, round by round. */
    Configuration baseline() {
        return baseline;
    }

    /** The most the median ratio may be. */
    double target() {
        return target;
    }

    /** The row's first cell. */
    String label() {
        return label;
    }

    /** How the interleaved table names the baseline. */
    String interleavedBaselineLabel() {
        return interleavedBaselineLabel;
    }

    /** Whether the JMH rounds measure both sides, so that the table against the targets shows the row. */
    boolean inJmhRounds() {
        return jmhBaselineLabel != null;
    }

    /** How the table against the targets names the baseline. */
    String jmhBaselineLabel() {
        return jmhBaselineLabel;
    }
}
