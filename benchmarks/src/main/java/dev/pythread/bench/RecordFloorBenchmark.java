package dev.pythread.bench;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The floor under {@code audit=jsonl}: {@link ThreadStartBenchmark}'s start+join, with no agent, preceded by only the
 * system work that a record of the start has to do before the thread may start, written inline with the cheapest
 * JDK calls and no formatting at all — a fixed line of a record's length. Whatever an implementation does beyond
 * this, formatting included, comes on top; so when a ratio here is above a target, no implementation that keeps these
 * guarantees can meet that target on this machine. One benchmark per {@link RecordFloor.Step}: {@link #write},
 * {@link #walkWrite}, {@link #hashWalkWrite}.
 *
 * <p>The suite ({@code benchmarks/run.sh}) runs this class as one more configuration of its JMH thread-start rounds,
 * and divides each figure by the same round's no-agent {@link ThreadStartBenchmark}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
@State(Scope.Thread)
public class RecordFloorBenchmark {

    private RecordFloor floor;

    @Setup(Level.Trial)
    public void open() throws IOException {
        floor = new RecordFloor();
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        floor.close();
    }

    @Benchmark
    public Thread write(Blackhole blackhole) throws IOException, InterruptedException {
        return startJoin(blackhole, RecordFloor.Step.WRITE);
    }

    @Benchmark
    public Thread walkWrite(Blackhole blackhole) throws IOException, InterruptedException {
        return startJoin(blackhole, RecordFloor.Step.WALK_WRITE);
    }

    @Benchmark
    public Thread hashWalkWrite(Blackhole blackhole) throws IOException, InterruptedException {
        return startJoin(blackhole, RecordFloor.Step.HASH_WALK_WRITE);
    }

    private Thread startJoin(Blackhole blackhole, RecordFloor.Step step) throws IOException, InterruptedException {
        blackhole.consume(floor.before(step));
        return ThreadStartBenchmark.startAndJoin();
    }
}
