package dev.pythread.bench.suite;

import java.util.Arrays;

/**
 * The few statistics RESULTS.md states: medians, the middle half, per-round ratios and the "within noise" rule. The
 * conventions are the report's own, written out here because a library's (commons-math's interpolated percentiles,
 * say) would give other quartiles: the median of an even count is the mean of the two middle figures; the middle
 * half of {@code n} sorted figures runs from the {@code ⌊(n+3)/4⌋}-th to the {@code ⌊(3n+3)/4⌋}-th (1-based).
 */
final class Stats {

    private Stats() {
    }

    /** The median; NaN for no figures. */
    static double median(double[] figures) {
        if (figures.length == 0) {
            return Double.NaN;
        }
        double[] sorted = sorted(figures);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** The lower and upper ends of the middle half, as {@code {low, high}}. */
    static double[] middleHalf(double[] figures) {
        double[] sorted = sorted(figures);
        int n = sorted.length;
        return new double[] {sorted[(n + 3) / 4 - 1], sorted[(3 * n + 3) / 4 - 1]};
    }

    /** The smallest and largest figures, as {@code {min, max}}. */
    static double[] range(double[] figures) {
        double[] sorted = sorted(figures);
        return new double[] {sorted[0], sorted[sorted.length - 1]};
    }

    /** Each round's figure over the same round's baseline: round by round, which cancels the machine's drift. */
    static double[] ratios(double[] figures, double[] baseline) {
        if (figures.length != baseline.length) {
            throw new IllegalArgumentException(figures.length + " rounds against " + baseline.length);
        }
        double[] ratios = new double[figures.length];
        for (int i = 0; i < ratios.length; i++) {
            ratios[i] = figures[i] / baseline[i];
        }
        return ratios;
    }

    /** The median of the per-round ratios. */
    static double medianRatio(double[] figures, double[] baseline) {
        return median(ratios(figures, baseline));
    }

    /** The mean. */
    static double mean(double[] figures) {
        return Arrays.stream(figures).average().orElse(Double.NaN);
    }

    /**
     * Whether two JMH figures cannot be told apart: their 99.9% intervals ({@code figure ± error}) overlap. False
     * when either error is unknown (NaN: a single measured iteration has none).
     */
    static boolean withinNoise(double a, double errorA, double b, double errorB) {
        return Math.abs(a - b) <= errorA + errorB;
    }

    private static double[] sorted(double[] figures) {
        double[] sorted = figures.clone();
        Arrays.sort(sorted);
        return sorted;
    }
}
