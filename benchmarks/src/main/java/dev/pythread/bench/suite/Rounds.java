package dev.pythread.bench.suite;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;

/**
 * Thread start+join in µs, one figure per round, for each configuration and floor that the rounds ran: JMH's
 * score of each round's fork, or the mean of an interleaved configuration's JVMs in each round.
 */
final class Rounds {

    private final int count;
    private final Map<Configuration, double[]> configurations = new EnumMap<>(Configuration.class);
    private final Map<Floor, double[]> floors = new EnumMap<>(Floor.class);

    Rounds(int count) {
        this.count = count;
    }

    /** How many rounds. */
    int count() {
        return count;
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
