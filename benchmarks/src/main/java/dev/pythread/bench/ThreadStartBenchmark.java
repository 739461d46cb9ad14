package dev.pythread.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code new Thread(empty).start(); join()}, in microseconds per thread: the cost the agent adds to every
 * {@code Thread.start()}. The code is the same in each configuration; what changes is the forked JVM, so
 * the suite ({@code benchmarks/run.sh}) runs this class in separate JMH invocations:
 * <ol>
 *   <li>no agent — the baseline;</li>
 *   <li>{@code -jvmArgsAppend -javaagent:agent/target/pythread-agent.jar} — the agent with no sink: each start
 *       raises an audit event that no hook and no sink sees (target ≤ 1.03× the baseline);</li>
 *   <li>{@code -javaagent:...=audit=jsonl:PATH} — each start also writes a JSON line and hands it to the OS before the
 *       thread starts (target ≤ 1.15×).</li>
 * </ol>
 * The suite interleaves these (and the other configurations of {@code suite.Configuration}) in rounds, each round a
 * fresh fork of each, in alternating order (forward, then backward), and reports the median over the rounds of each
 * round's ratio to its own no-agent fork. A thread start is mostly the kernel's work (clone, scheduling, the join's
 * wake-up), which drifts with the machine's load far more than the agent's share of it; pairing within a round
 * cancels that drift, alternating the order cancels a trend within a round. Forks are short, to buy more rounds in
 * the same time, but not shorter than the JIT needs: with {@code audit=jsonl} the first second of a fork still runs
 * the sink's code (JSON, time formatting, the file channel) interpreted or barely compiled, at two to three times the
 * steady cost of a start.
 *
 * <p>No state: every operation makes a new {@code Thread} (a thread can start only once). Its {@code Runnable}
 * is a shared constant that does nothing, so the new thread only starts and ends.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class ThreadStartBenchmark {

    private static final Runnable EMPTY = new Runnable() {
        @Override
        public void run() {
            // the thread only starts and ends
        }
    };

    @Benchmark
    public Thread startJoin() throws InterruptedException {
        return startAndJoin();
    }

    /** The measured operation, shared with {@link RecordFloorBenchmark} and {@link StartJoinBlocks}. */
    static Thread startAndJoin() throws InterruptedException {
        Thread thread = new Thread(EMPTY);
        thread.start();
        thread.join();
        return thread;
    }
}
