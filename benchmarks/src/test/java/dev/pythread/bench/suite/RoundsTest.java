package dev.pythread.bench.suite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Interleaved rounds in batches of fresh JVMs: each batch's rounds, in the order they ran. */
class RoundsTest {

    @Test
    void batchesAreConsecutiveRoundsOfEqualCount() {
        Rounds rounds = new Rounds(6, 3);
        for (int round = 1; round <= 6; round++) {
            rounds.put(Configuration.PLAIN, round, round * 10);
        }
        double[][] batches = rounds.byBatch(rounds.of(Configuration.PLAIN));
        assertEquals(3, batches.length);
        assertArrayEquals(new double[] {10, 20}, batches[0]);
        assertArrayEquals(new double[] {30, 40}, batches[1]);
        assertArrayEquals(new double[] {50, 60}, batches[2]);
    }

    @Test
    void jmhRoundsAreOneBatch() {
        Rounds rounds = new Rounds(4);
        assertEquals(1, rounds.batches());
        assertEquals(1, rounds.byBatch(new double[] {1, 2, 3, 4}).length);
    }

    @Test
    void roundsThatDoNotSplitEvenlyAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Rounds(7, 3));
        assertThrows(IllegalArgumentException.class, () -> new Rounds(6, 0));
    }
}
