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
