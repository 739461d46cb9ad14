package dev.pythread.bench;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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
 * guarantees can meet that target on this machine.
 * <ul>
 *   <li>{@link #write}: one {@code write()} of the line to a file opened for appending — what makes the record
 *       survive a {@code kill -9} the instant {@code start()} returns;</li>
 *   <li>{@link #statWrite}: first, one {@code stat} of the path, compared with the open file's device and inode —
 *       what sends the record to a new file, never to a deleted one, after a rotation;</li>
 *   <li>{@link #walkStatWrite}: first, one {@link StackWalker} walk to the starting frame, with its class, method,
 *       file and line — the record's {@code caller};</li>
 *   <li>{@link #hashWalkStatWrite}: the line's two SHA-256 of {@code chain=sha256}, too.</li>
 * </ul>
 * {@code benchmarks/run.sh} runs this class as one more configuration of its interleaved thread-start rounds, and
 * divides each figure by the same round's no-agent {@link ThreadStartBenchmark}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
@State(Scope.Thread)
public class RecordFloorBenchmark {

    /** A start record with its caller, as the agent writes one: the same length, the same kind of bytes. */
    private static final byte[] LINE = ("{\"seq\":12345,\"time\":\"2026-11-30T22:00:00.123456Z\",\"pid\":4242,"
            + "\"event\":\"_thread.start_new_thread\",\"thread\":{\"id\":1,\"name\":\"main\"},\"caller\":{\"class\":"
            + "\"dev.pythread.bench.jmh_generated.RecordFloorBenchmark_walkStatWrite_jmhTest\",\"method\":"
            + "\"walkStatWrite_avgt_jmhStub\",\"file\":\"RecordFloorBenchmark_walkStatWrite_jmhTest.java\",\"line\":"
            + "232,\"source\":\"/work/pythread/benchmarks/target/benchmarks.jar\"},\"args\":[\"Thread[Thread-12345,5,"
            + "main]\",[],null]}\n").getBytes(StandardCharsets.UTF_8);

    private static final Runnable EMPTY = new Runnable() {
        @Override
        public void run() {
            // the thread only starts and ends
        }
    };

    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);
    private static final ClassLoader PLATFORM = ClassLoader.getPlatformClassLoader();

    private Path path;
    private FileOutputStream out;
    private Object fileKey;
    private MessageDigest sha256;

    @Setup(Level.Trial)
    public void open() throws IOException, NoSuchAlgorithmException {
        path = Files.createTempFile("pythread-floor", ".jsonl");
        out = new FileOutputStream(path.toFile(), true);
        fileKey = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
        sha256 = MessageDigest.getInstance("SHA-256");
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        out.close();
        Files.delete(path);
    }

    // Each step does one more thing, then the step before it: the rows of RESULTS.md add up the same way.

    @Benchmark
    public Thread write() throws IOException, InterruptedException {
        out.write(LINE);
        return startJoin();
    }

    @Benchmark
    public Thread statWrite() throws IOException, InterruptedException {
        checkStillAtPath();
        return write();
    }

    @Benchmark
    public Thread walkStatWrite(Blackhole blackhole) throws IOException, InterruptedException {
        blackhole.consume(caller());
        return statWrite();
    }

    @Benchmark
    public Thread hashWalkStatWrite(Blackhole blackhole) throws IOException, InterruptedException {
        sha256.update(LINE, 0, LINE.length - 90); // the line up to its hash field
        blackhole.consume(sha256.digest());
        sha256.update(LINE, 0, LINE.length - 1); // the whole line, for the next record's prev
        blackhole.consume(sha256.digest());
        return walkStatWrite(blackhole);
    }

    private void checkStillAtPath() throws IOException {
        if (!fileKey.equals(Files.readAttributes(path, BasicFileAttributes.class).fileKey())) {
            throw new IllegalStateException(path + " was replaced during the benchmark");
        }
    }

    /** The first frame below this method that is not the JDK's, as the agent's caller: class, method, file, line. */
    private static Object[] caller() {
        return WALKER.walk(frames -> frames
                .skip(1)
                .filter(frame -> {
                    ClassLoader loader = frame.getDeclaringClass().getClassLoader();
                    return loader != null && loader != PLATFORM;
                })
                .findFirst()
                .map(frame -> new Object[] {frame.getClassName(), frame.getMethodName(), frame.getFileName(),
                    frame.getLineNumber()})
                .orElse(null));
    }

    private static Thread startJoin() throws InterruptedException {
        Thread thread = new Thread(EMPTY);
        thread.start();
        thread.join();
        return thread;
    }
}
