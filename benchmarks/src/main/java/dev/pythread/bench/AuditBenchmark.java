package dev.pythread.bench;

import dev.pythread.Audit;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link Audit#audit} with no hook installed — what every audited operation pays in a program that never adds a
 * hook — against an empty static call with the same arguments. The API promises "nothing measurable, nothing
 * allocated"; the targets are at most 2 ns per call and 0 bytes per call. Run it with JMH's {@code -prof gc}: its
 * {@code gc.alloc.rate.norm} is the bytes allocated per call.
 *
 * <p>Every overload is measured: {@code audit(event)} to {@code audit(event, a, b, c)} (fixed arity, which never
 * build an array) and the varargs form with four arguments, whose {@code Object[]} is built at the call site by
 * javac: with no hook it is never used, so it costs nothing only if the JIT inlines {@code audit} and removes the
 * array (escape analysis). The baseline is a static method with an empty body, which the JIT inlines into nothing:
 * the difference is the cost of {@code audit} itself, a read of a volatile field and a length check.
 *
 * <p>The arguments are non-final fields of a {@link Scope#Thread} state, so the JIT cannot constant-fold them, and
 * they are objects already (no boxing). No hook is ever added in this JVM (hooks cannot be removed), and JMH runs the
 * benchmarks in a fresh fork.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class AuditBenchmark {

    private String event = "bench.event";
    private Object arg1 = "first";
    private Object arg2 = Integer.valueOf(2);
    private Object arg3 = new Object();
    private Object arg4 = new StringBuilder("fourth");

    @Benchmark
    public void emptyStaticCall() {
        empty(event, arg1, arg2, arg3);
    }

    @Benchmark
    public void audit0() {
        Audit.audit(event);
    }

    @Benchmark
    public void audit1() {
        Audit.audit(event, arg1);
    }

    @Benchmark
    public void audit2() {
        Audit.audit(event, arg1, arg2);
    }

    @Benchmark
    public void audit3() {
        Audit.audit(event, arg1, arg2, arg3);
    }

    @Benchmark
    public void audit4Varargs() {
        Audit.audit(event, arg1, arg2, arg3, arg4);
    }

    /** The baseline: a static call that does nothing. */
    private static void empty(String event, Object arg1, Object arg2, Object arg3) {
        // nothing
    }
}
