package dev.pythread.it.apps;

/**
 * A measurement loop, not a test: starts and joins ROUNDS x N threads and prints the median nanoseconds per
 * start+join of the rounds after WARMUP rounds. benchmarks/startjoin.sh runs it with and without the agent.
 */
public final class StartJoinLoop {

    private StartJoinLoop() {
    }

    /** @param args N ROUNDS WARMUP */
    public static void main(String[] args) throws InterruptedException {
        int n = Integer.parseInt(args[0]);
        int rounds = Integer.parseInt(args[1]);
        int warmup = Integer.parseInt(args[2]);
        long[] perStart = new long[rounds];
        Runnable empty = () -> { };
        for (int round = -warmup; round < rounds; round++) {
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                Thread thread = new Thread(empty);
                thread.start();
                thread.join();
            }
            if (round >= 0) {
                perStart[round] = (System.nanoTime() - start) / n;
            }
        }
        java.util.Arrays.sort(perStart);
        Out.line(Long.toString(perStart[rounds / 2]));
    }
}
