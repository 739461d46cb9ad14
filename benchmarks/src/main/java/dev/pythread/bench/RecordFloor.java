package dev.pythread.bench;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The system work a record of a thread start has to do before the thread may start, inline, with the cheapest JDK
 * calls and no formatting: what {@link RecordFloorBenchmark} and {@link StartJoinBlocks} put before each start+join,
 * with no agent. Each step does one more thing, then the step before it. Not thread-safe: one per measuring thread.
 */
final class RecordFloor implements AutoCloseable {

    /** The steps, cheapest first. */
    enum Step {
        /** One {@code write()} of the line to a file opened for appending: the record survives a {@code kill -9}. */
        WRITE,
        /**
         * First, one {@link StackWalker} walk to the starting frame, with its class, method, file and line. (No
         * {@code stat} of the path: the agent learns of a rotation from a watch of the directory, not per record.)
         */
        WALK_WRITE,
        /** The line's two SHA-256 of {@code chain=sha256}, too, reading the line once. */
        HASH_WALK_WRITE
    }

    /** A start record with its caller, as the agent writes one: the same length, the same kind of bytes. */
    private static final byte[] LINE = ("{\"seq\":12345,\"time\":\"2026-11-30T22:00:00.123456Z\",\"pid\":4242,"
            + "\"event\":\"_thread.start_new_thread\",\"thread\":{\"id\":1,\"name\":\"main\"},\"caller\":{\"class\":"
            + "\"dev.pythread.bench.jmh_generated.RecordFloorBenchmark_walkWrite_jmhTest\",\"method\":"
            + "\"walkWrite_avgt_jmhStub\",\"file\":\"RecordFloorBenchmark_walkWrite_jmhTest.java\",\"line\":"
            + "232,\"source\":\"/work/pythread/benchmarks/target/benchmarks.jar\"},\"args\":[\"Thread[Thread-12345,5,"
            + "main]\",[],null]}\n").getBytes(StandardCharsets.UTF_8);

    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);
    private static final ClassLoader PLATFORM = ClassLoader.getPlatformClassLoader();

    private final Path path;
    private final FileOutputStream out;
    private final MessageDigest sha256;

    RecordFloor() throws IOException {
        path = Files.createTempFile("pythread-floor", ".jsonl");
        out = new FileOutputStream(path.toFile(), true);
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Does {@code step}'s work; returns what it computed, for the caller to consume. */
    Object before(Step step) throws IOException {
        switch (step) {
            case WRITE:
                out.write(LINE);
                return null;
            case WALK_WRITE:
                Object[] caller = caller();
                before(Step.WRITE);
                return caller;
            default:
                sha256.update(LINE, 0, LINE.length - 90); // the line up to its hash field
                byte[] hash = hashSoFar();
                sha256.update(LINE, LINE.length - 90, 89); // the rest of the line, for the next record's prev
                hash[0] ^= sha256.digest()[0];
                before(Step.WALK_WRITE);
                return hash;
        }
    }

    /** The hash of what {@link #sha256} read so far, which goes on reading (as {@code chain=sha256} does). */
    private byte[] hashSoFar() {
        try {
            return ((MessageDigest) sha256.clone()).digest();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's SHA-256 clones", e);
        }
    }

    @Override
    public void close() throws IOException {
        out.close();
        Files.delete(path);
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
}
