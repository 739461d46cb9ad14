package dev.pythread.bench.suite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class StatsTest {

    @Test
    void medianOfAnOddCountIsTheMiddleFigure() {
        assertEquals(3, Stats.median(new double[] {5, 1, 3}));
    }

    @Test
    void medianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        assertEquals(2.5, Stats.median(new double[] {4, 1, 3, 2}));
    }

    @Test
    void medianOfNothingIsNaN() {
        assertTrue(Double.isNaN(Stats.median(new double[0])));
    }

    @Test
    void middleHalfOfThreeIsTheirRange() {
        assertArrayEquals(new double[] {1, 3}, Stats.middleHalf(new double[] {2, 3, 1}));
    }

    @Test
    void middleHalfOfThirtyRunsFromTheEighthToTheTwentyThird() {
        double[] figures = IntStream.rangeClosed(1, 30).mapToDouble(i -> 31 - i).toArray();
        assertArrayEquals(new double[] {8, 23}, Stats.middleHalf(figures));
    }

    @Test
    void ratiosAreRoundByRound() {
        assertArrayEquals(new double[] {2, 0.5}, Stats.ratios(new double[] {4, 1}, new double[] {2, 2}));
        assertEquals(1.25, Stats.medianRatio(new double[] {4, 1}, new double[] {2, 2}));
    }

    @Test
    void overlappingIntervalsAreWithinNoise() {
        assertTrue(Stats.withinNoise(10, 1, 11.5, 0.5));
        assertFalse(Stats.withinNoise(10, 1, 11.6, 0.5));
    }

    @Test
    void noErrorIsNeverWithinNoise() {
        assertFalse(Stats.withinNoise(10, Double.NaN, 10, 0.5));
    }
}
