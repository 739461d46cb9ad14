package dev.pythread.bench.suite;

/**
 * The floors under a record ({@code RecordFloorBenchmark}): no agent, only the system work a record must do before
 * the thread may start, one step more in each. The JMH rounds run all three, as the methods of one fork; the
 * interleaved rounds run them too, each in a JVM of its own. Each is the floor under one agent configuration, which
 * does it all and more.
 */
enum Floor {

    //    benchmark method     RecordFloor.Step        interleaved JVM  the agent doing it all
    WRITE("write",             "WRITE",                "floor-write",   Configuration.NOCALLER, "`caller=off`",
            "one `write()` of the line (survives `kill -9`)"),
    WALK("walkWrite",          "WALK_WRITE",           "floor-walk",    Configuration.JSONL,    "`audit=jsonl`",
            "+ one `StackWalker` walk to the caller: class, method, file, line"),
    HASH("hashWalkWrite",      "HASH_WALK_WRITE",      "floor-hash",    Configuration.CHAIN,    "`chain=sha256`",
            "+ two SHA-256 of the line (`chain=sha256`)");

    private final String method;
    private final String step;
    private final String interleavedId;
    private final Configuration under;
    private final String underLabel;
    private final String label;

    Floor(String method, String step, String interleavedId, Configuration under, String underLabel, String label) {
        this.method = method;
        this.step = step;
        this.interleavedId = interleavedId;
        this.under = under;
        this.underLabel = underLabel;
        this.label = label;
    }

    /** Its {@code RecordFloorBenchmark} method. */
    String method() {
        return method;
    }

    /** The interleaved JVM's program argument: {@code floor:STEP}, a {@code RecordFloor.Step}. */
    String interleavedArg() {
        return "floor:" + step;
    }

    /** The name of its interleaved JVM's columns. */
    String interleavedId() {
        return interleavedId;
    }

    /** The agent configuration this is the floor under. */
    Configuration under() {
        return under;
    }

    /** How the raw table names {@link #under}: the option that makes the agent do it. */
    String underLabel() {
        return underLabel;
    }

    /** The floor under {@code configuration}, or null. */
    static Floor of(Configuration configuration) {
        for (Floor floor : values()) {
            if (floor.under == configuration) {
                return floor;
            }
        }
        return null;
    }

    /** The first cell of its row in the raw {@code RecordFloorBenchmark} table. */
    String label() {
        return label;
    }
}
