package dev.pythread.bench;

import dev.pythread.agent.ThreadDispatch;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The agent's own share of a {@code Thread.start()}, without the thread: {@link ThreadDispatch#onStart}, the call the
 * agent puts first in {@code Thread.start}, on a thread that is never started (so it stays {@code NEW} and can be
 * "started" again and again), called from {@code depth} frames of application code. What it does depends on the
 * agent options of the forked JVM, which the suite ({@code benchmarks/run.sh}) passes with {@code -jvmArgsAppend}:
 * <ul>
 *   <li>{@code policy=PATH} (a 10-rule policy that allows this code): one policy decision — a stack walk and a
 *       cached verdict per frame — and nothing else, since no sink is set;</li>
 *   <li>{@code audit=jsonl:PATH} with and without {@code caller=off}: one record written, with and without the walk
 *       that finds its {@code caller}.</li>
 * </ul>
 * Without the agent this class cannot run: {@code ThreadDispatch} comes from the agent jar on the boot class path,
 * where the instrumented JDK finds it too.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class StartCheckBenchmark {

    /** Frames of application code between the benchmark and the start: 40 is a deep server stack. */
    @Param({"40"})
    public int depth;

    /** A task of application code, as a start's task is: the policy decides its class too. */
    private final Runnable task = () -> { };
    private final Thread neverStarted = new Thread(task, "never-started");

    @Benchmark
    public void onStart() {
        descend(depth);
    }

    private void descend(int frames) {
        if (frames <= 1) {
            ThreadDispatch.onStart(neverStarted, Thread.State.NEW, task);
        } else {
            descend(frames - 1);
        }
    }
}
