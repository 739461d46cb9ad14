package dev.pythread.bench.suite;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * How RESULTS.md writes a figure. Decimals are rounded as C's {@code printf} rounds them (the exact binary value, half
 * to even), so that a figure reads as it did when awk wrote the report; a figure that was not measured (NaN) reads
 * "n/a".
 */
final class Format {

    private Format() {
    }

    /** {@code figure} with {@code decimals} decimals, or "n/a". */
    static String fixed(double figure, int decimals) {
        if (Double.isNaN(figure) || Double.isInfinite(figure)) {
            return "n/a";
        }
        return new BigDecimal(figure).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
    }

    /** A JMH figure with its 99.9% half-width, "12.34 ± 0.56", or the figure alone when JMH gave no error. */
    static String withError(double figure, double error, int decimals) {
        return Double.isNaN(error) ? fixed(figure, decimals)
                : fixed(figure, decimals) + " ± " + fixed(error, decimals);
    }

    /** A difference with its sign, "+0.143" or "−0.143" (a minus sign, not a hyphen). */
    static String signed(double difference, int decimals) {
        return (difference < 0 ? "−" : "+") + fixed(Math.abs(difference), decimals);
    }

    /**
     * A ratio against the most it may be, with 3 decimals, or as many more (up to 6) as it takes not to read as its
     * target when it misses it: a median of 1.0203 against ≤ 1.02 reads "1.0203", not "1.020" marked missed.
     */
    static String ratio(double ratio, double target) {
        String text = fixed(ratio, 3);
        for (int decimals = 4; decimals <= 6 && ratio > target && new BigDecimal(text).doubleValue() <= target;
                decimals++) {
            text = fixed(ratio, decimals);
        }
        return text;
    }

    /** The last column of a row against a target. */
    static String verdict(boolean met) {
        return met ? "met" : "**missed**";
    }

    /** Figures separated by spaces, each with {@code decimals} decimals and followed by {@code unit}. */
    static String list(double[] figures, int decimals, String unit) {
        return Arrays.stream(figures).mapToObj(figure -> fixed(figure, decimals) + unit)
                .collect(Collectors.joining(" "));
    }

    /** One Markdown table row. */
    static String row(String... cells) {
        return "| " + String.join(" | ", cells) + " |";
    }
}
