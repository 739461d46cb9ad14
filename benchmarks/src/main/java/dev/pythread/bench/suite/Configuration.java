package dev.pythread.bench.suite;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The JVMs whose thread start+join the suite compares: how each is started and whether the JMH rounds run it too
 * (the interleaved JVMs run them all). The runs and the report both read this table; {@link Target} says which pairs
 * RESULTS.md compares and against what target, {@link Floor} what the floors beside them do.
 *
 * <p>Declaration order is run order: odd rounds run the configurations in this order, even rounds backwards.
 */
enum Configuration {

    //          id             agent options (null: no agent)   first cell of its raw JMH row (null: interleaved only)
    //          interleaved rotation (null: every rotation, the baseline of each)
    PLAIN(      "plain",       null,                            "no agent", null),
    AGENT(      "agent",       "",                              "`-javaagent:agent/target/pythread-agent.jar`",
            Rotation.AGENT),
    NOINVENTORY("noinventory", "inventory=off",                 null, Rotation.AGENT),
    JSONL(      "jsonl",       "audit=jsonl:{log}",
            "`-javaagent:agent/target/pythread-agent.jar=audit=jsonl:PATH`", Rotation.JSONL),
    NOCALLER(   "nocaller",    "audit=jsonl:{log},caller=off",  "`…=audit=jsonl:PATH,caller=off`", Rotation.JSONL),
    CHAIN(      "chain",       "audit=jsonl:{log},chain=sha256", "`…=audit=jsonl:PATH,chain=sha256`", Rotation.JSONL),
    POLICY(     "policy",      "policy={policy}",               "`…=policy=PATH` (10 rules, no sink)",
            Rotation.AGENT),
    // The peer a user compares with (issue 21): the JDK's own recorder, and our jfr sink under its recording.
    JFR_THREAD_START("jfr-threadstart", null, null, Rotation.JFR, Recording.THREAD_START),
    JFR_DEFAULT("jfr-default",     null, null, Rotation.JFR, Recording.DEFAULT),
    // The agent without a sink under that recording: what any sink pays before its own work, JFR's cost included.
    AGENT_JFR(  "agent-jfr",       "",          null, Rotation.JFR, Recording.THREAD_START),
    JFR_SINK(   "jfrsink",         "audit=jfr", null, Rotation.JFR, Recording.THREAD_START);

    /**
     * The interleaved JVMs take turns in three rotations, one after the other, each with its own no-agent JVMs: the
     * agent's own cost, the jsonl sink's (with the floors under it) and JFR's peer. So a row's two sides are measured
     * in the same rounds among a dozen JVMs, as issue 21 measured, not among all 28: the more JVMs take turns,
     * the colder each turn begins, and that costs the agent's longer path more than the baseline's (measured in
     * {@code docs/performance.md}: the same build, 1.16× with one JVM per configuration, 1.30× with seven).
     */
    enum Rotation {
        AGENT, JSONL, JFR
    }

    /** The JFR recording a configuration's JVM runs from its start, if any. */
    enum Recording {
        /** None. */
        NONE,
        /** Only {@code jdk.ThreadStart}, with stack traces: {@code thread-start.jfc}. */
        THREAD_START,
        /** The JDK's {@code default} settings, which include {@code jdk.ThreadStart} with stack traces. */
        DEFAULT
    }

    /** In the agent options, the words a run replaces with its audit log's path. */
    private static final String LOG = "{log}";
    /** ... and with the path of the 10-rule policy file. */
    private static final String POLICY_FILE = "{policy}";

    private final String id;
    private final String agentOptions;
    private final String jmhLabel;
    private final Rotation rotation;
    private final Recording recording;

    Configuration(String id, String agentOptions, String jmhLabel, Rotation rotation) {
        this(id, agentOptions, jmhLabel, rotation, Recording.NONE);
    }

    Configuration(String id, String agentOptions, String jmhLabel, Rotation rotation, Recording recording) {
        this.id = id;
        this.agentOptions = agentOptions;
        this.jmhLabel = jmhLabel;
        this.rotation = rotation;
        this.recording = recording;
    }

    /** Whether the interleaved rotation runs it: every rotation runs {@link #PLAIN}, its baseline. */
    boolean runsIn(Rotation candidate) {
        return rotation == null || rotation == candidate;
    }

    /** The interleaved rotation that runs it, or {@code null} for {@link #PLAIN}, which every rotation runs. */
    Rotation rotation() {
        return rotation;
    }

    /** The name of its results files and of its columns in the interleaved table. */
    String id() {
        return id;
    }

    /** Whether the JMH rounds run it, not only the interleaved JVMs. */
    boolean inJmhRounds() {
        return jmhLabel != null;
    }

    /** The first cell of its row in the raw {@code ThreadStartBenchmark} table. */
    String jmhLabel() {
        return jmhLabel;
    }

    /** Whether its agent writes an audit log, whose path the run chooses. */
    boolean writesLog() {
        return agentOptions != null && agentOptions.contains(LOG);
    }

    /**
     * The JVM options: a JFR recording from the start (into {@code LOG.jfr}, so that each JVM has its own file: JDK 17
     * does not expand {@code %p}), and {@code -javaagent:AGENT[=OPTIONS]} with the paths filled in; or none.
     */
    List<String> jvmArgs(Workspace workspace, Path log) {
        List<String> args = new ArrayList<>();
        if (recording != Recording.NONE) {
            args.add("-Xlog:jfr+startup=error"); // else JFR says on stdout how to dump the recording
            args.add("-XX:StartFlightRecording:settings="
                    + (recording == Recording.DEFAULT ? "default" : workspace.threadStartSettings().toString())
                    + ",filename=" + log.resolveSibling(log.getFileName() + ".jfr"));
        }
        if (agentOptions != null) {
            String options = agentOptions.replace(LOG, String.valueOf(log))
                    .replace(POLICY_FILE, String.valueOf(workspace.policy()));
            args.add("-javaagent:" + workspace.agent() + (options.isEmpty() ? "" : "=" + options));
        }
        return args;
    }

    /** The configurations of the JMH rounds, in run order. */
    static List<Configuration> jmhRounds() {
        return Arrays.stream(values()).filter(Configuration::inJmhRounds).toList();
    }
}
