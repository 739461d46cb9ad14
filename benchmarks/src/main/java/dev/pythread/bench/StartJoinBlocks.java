package dev.pythread.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * One configuration of {@link InterleavedStartJoin}: a JVM that waits on its standard input and, for each line
 * {@code N} it reads, runs {@code N} times {@code new Thread(empty).start(); join()} and prints the mean nanoseconds
 * of one. With the argument {@code floor:STEP} (a {@link RecordFloor.Step}) each start is preceded by that system
 * work, as {@link RecordFloorBenchmark} does. Ends at the end of its input.
 */
public final class StartJoinBlocks {

    /**
     * Loop back-edges taken per start, for nothing but the JIT. This loop runs once, in {@code main}, so the JIT
     * compiles it only on back-edges (OSR): at 60 000 of them for C1, 40 000 more for C2 (JDK 17's tiered
     * thresholds). With one per start that came after some 60 000 and 100 000 starts, 200 and 330 rounds in, and each
     * step changed how the start path is inlined into the loop, so the configurations' ratios moved by 10 points
     * and more in mid-run ({@code -Xlog:jit+compilation}, measured). An empty inner loop takes the loop to C2 within the
     * first 1 000 starts, and C2 then removes it.
     */
    static final int BACK_EDGES_PER_START = 100;

    /** Keeps what the floor computes alive, so that the JIT cannot drop the work. */
    static volatile Object sink;

    private StartJoinBlocks() {
    }

    /** @param args nothing, or {@code floor:STEP} */
    public static void main(String[] args) throws IOException, InterruptedException {
        RecordFloor.Step step = args.length == 0 ? null
                : RecordFloor.Step.valueOf(args[0].substring("floor:".length()));
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        try (RecordFloor floor = step == null ? null : new RecordFloor()) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                int starts = Integer.parseInt(line.trim());
                long begin = System.nanoTime();
                for (int i = 0; i < starts; i++) {
                    for (int edge = 0; edge < BACK_EDGES_PER_START; edge++) {
                        // nothing: see BACK_EDGES_PER_START
                    }
                    if (floor != null) {
                        sink = floor.before(step);
                    }
                    ThreadStartBenchmark.startAndJoin();
                }
                System.out.println((System.nanoTime() - begin) / starts);
                System.out.flush();
            }
        }
    }
}
