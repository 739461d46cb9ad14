package dev.pythread.bench.suite;

import java.nio.file.Path;
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
    PLAIN(      "plain",       null,                            "no agent"),
    AGENT(      "agent",       "",                              "`-javaagent:agent/target/pythread-agent.jar`"),
    NOINVENTORY("noinventory", "inventory=off",                 null),
    JSONL(      "jsonl",       "audit=jsonl:{log}",
            "`-javaagent:agent/target/pythread-agent.jar=audit=jsonl:PATH`"),
    NOCALLER(   "nocaller",    "audit=jsonl:{log},caller=off",  "`…=audit=jsonl:PATH,caller=off`"),
    CHAIN(      "chain",       "audit=jsonl:{log},chain=sha256", "`…=audit=jsonl:PATH,chain=sha256`"),
    POLICY(     "policy",      "policy={policy}",               "`…=policy=PATH` (10 rules, no sink)");

    /** In the agent options, the words a run replaces with its audit log's path. */
    private static final String LOG = "{log}";
    /** ... and with the path of the 10-rule policy file. */
    private static final String POLICY_FILE = "{policy}";

    private final String id;
    private final String agentOptions;
    private final String jmhLabel;

    Configuration(String id, String agentOptions, String jmhLabel) {
        this.id = id;
        this.agentOptions = agentOptions;
        this.jmhLabel = jmhLabel;
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

    /** The JVM options: none, or {@code -javaagent:AGENT[=OPTIONS]} with the two paths filled in. */
    List<String> jvmArgs(Path agent, Path log, Path policy) {
        if (agentOptions == null) {
            return List.of();
        }
        String options = agentOptions.replace(LOG, String.valueOf(log)).replace(POLICY_FILE, String.valueOf(policy));
        return List.of("-javaagent:" + agent + (options.isEmpty() ? "" : "=" + options));
    }

    /** The configurations of the JMH rounds, in run order. */
    static List<Configuration> jmhRounds() {
        return Arrays.stream(values()).filter(Configuration::inJmhRounds).toList();
    }
}
