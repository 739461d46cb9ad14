package dev.pythread.bench.suite;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;

/**
 * Thread start+join in µs, one figure per round, for each configuration and floor that the rounds ran: JMH's
 * score of each round's fork, or the mean of an interleaved configuration's JVMs in each round. Interleaved rounds
 * come in batches of equal size, each run by fresh JVMs, one batch after the other.
 */
final class Rounds {

    private final int count;
    private final int batches;
    private final Map<Configuration, double[]> configurations = new EnumMap<>(Configuration.class);
    private final Map<Floor, double[]> floors = new EnumMap<>(Floor.class);

    /** Rounds all run by the same JVMs, or by a fresh fork each (JMH's). */
    Rounds(int count) {
        this(count, 1);
    }

    /** Rounds in {@code batches} of equal size, each run by JVMs of its own. */
    Rounds(int count, int batches) {
        if (batches < 1 || count % batches != 0) {
            throw new IllegalArgumentException(count + " rounds do not split into " + batches + " batches");
        }
        this.count = count;
        this.batches = batches;
    }

    /** How many rounds. */
    int count() {
        return count;
    }

    /** How many batches of fresh JVMs ran them. */
    int batches() {
        return batches;
    }

    /** The figures of each batch in turn, from figures given round by round ({@link #of}, or their ratios). */
    double[][] byBatch(double[] figures) {
        int size = count / batches;
        double[][] slices = new double[batches][];
        for (int batch = 0; batch < batches; batch++) {
            slices[batch] = Arrays.copyOfRange(figures, batch * size, (batch + 1) * size);
        }
        return slices;
    }

    /** Records {@code configuration}'s figure of a round, numbered from 1. */
    void put(Configuration configuration, int round, double micros) {
        configurations.computeIfAbsent(configuration, c -> nans())[round - 1] = micros;
    }

    /** Records {@code floor}'s figure of a round, numbered from 1. */
    void put(Floor floor, int round, double micros) {
        floors.computeIfAbsent(floor, f -> nans())[round - 1] = micros;
    }

    /** The configuration's figures, round by round. */
    double[] of(Configuration configuration) {
        return figures(configurations.get(configuration), configuration);
    }

    /** The floor's figures, round by round. */
    double[] of(Floor floor) {
        return figures(floors.get(floor), floor);
    }

    private double[] nans() {
        double[] figures = new double[count];
        Arrays.fill(figures, Double.NaN);
        return figures;
    }

    private static double[] figures(double[] figures, Object what) {
        if (figures == null) {
            throw new IllegalArgumentException("the rounds did not run " + what);
        }
        return figures.clone();
    }
}
