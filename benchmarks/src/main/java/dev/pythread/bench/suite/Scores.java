package dev.pythread.bench.suite;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

/**
 * The results of one JMH run, by benchmark method name. A benchmark that failed has no result, and its figures
 * are NaN: the report says "n/a" rather than the suite giving up on the other figures.
 */
final class Scores {

    private final Map<String, RunResult> byMethod = new HashMap<>();

    Scores(Collection<RunResult> results) {
        for (RunResult result : results) {
            String benchmark = result.getParams().getBenchmark();
            byMethod.put(benchmark.substring(benchmark.lastIndexOf('.') + 1), result);
        }
    }

    /** The primary score: average time or throughput, in the run's unit. */
    double score(String method) {
        RunResult result = byMethod.get(method);
        return result == null ? Double.NaN : result.getPrimaryResult().getScore();
    }

    /** The score's 99.9% confidence half-width: NaN from too few iterations. */
    double error(String method) {
        RunResult result = byMethod.get(method);
        return result == null ? Double.NaN : result.getPrimaryResult().getScoreError();
    }

    /** Bytes allocated per operation, from {@code -prof gc}. */
    double allocation(String method) {
        RunResult result = byMethod.get(method);
        Result<?> norm = result == null ? null : result.getSecondaryResults().get("gc.alloc.rate.norm");
        return norm == null ? Double.NaN : norm.getScore();
    }
}
