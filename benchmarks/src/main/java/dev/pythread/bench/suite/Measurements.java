package dev.pythread.bench.suite;

import java.util.Map;

/**
 * Everything one run of the suite measured, for the {@link Report}.
 *
 * @param lock         {@code LockBenchmark}, ns/op
 * @param contended    {@code ContendedLockBenchmark}, ops/µs
 * @param audit        {@code AuditBenchmark} with {@code -prof gc}, ns/op
 * @param starts       the JMH thread-start rounds
 * @param interleaved  the interleaved thread-start rounds
 * @param checks       {@code StartCheckBenchmark} under each configuration it ran with, ns/op
 * @param record       {@code AuditBenchmark.audit1} under {@code audit=jsonl}, µs/op
 * @param recordLines  the records that run wrote
 * @param sizes        JOL's object sizes
 * @param cpython      CPython's lock, or null without python3
 * @param startUp      {@code startup.sh}'s figures
 * @param hyperfine    hyperfine's, or null when it is not installed
 * @param loadBefore   the load average before the benchmarks
 * @param loadAfter    ... after them
 */
record Measurements(Scores lock, Scores contended, Scores audit, StartRounds starts, InterleavedRounds interleaved,
        Map<Configuration, Scores> checks, Scores record, long recordLines, Sizes sizes, CPython cpython,
        StartUp startUp, Hyperfine hyperfine, String loadBefore, String loadAfter) {
}
