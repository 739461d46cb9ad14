package dev.pythread.bench.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FormatTest {

    @Test
    void roundsTheExactBinaryValueHalfToEvenAsPrintfDoes() {
        assertEquals("0.12", Format.fixed(0.125, 2)); // exactly half: to even
        assertEquals("2.67", Format.fixed(2.675, 2)); // 2.67499… in binary, where String.format says 2.68
    }

    @Test
    void notMeasuredIsNotApplicable() {
        assertEquals("n/a", Format.fixed(Double.NaN, 2));
        assertEquals("n/a", Format.withError(Double.NaN, Double.NaN, 2));
    }

    @Test
    void errorIsShownOnlyWhenJmhGaveOne() {
        assertEquals("17.73 ± 0.41", Format.withError(17.7318, 0.4071, 2));
        assertEquals("17.73", Format.withError(17.7318, Double.NaN, 2));
    }

    @Test
    void signedUsesAMinusSign() {
        assertEquals("+3.371", Format.signed(3.3712, 3));
        assertEquals("−0.143", Format.signed(-0.1431, 3));
        assertEquals("+80", Format.signed(80, 0));
    }

    @Test
    void listAndRow() {
        assertEquals("0.670× 2.534×", Format.list(new double[] {0.67, 2.5338}, 3, "×"));
        assertEquals("| a | b |", Format.row("a", "b"));
    }

    @Test
    void aMissedRatioNeverReadsAsItsTarget() {
        assertEquals("1.0203", Format.ratio(1.02031, 1.02)); // "1.020", marked missed, would puzzle
        assertEquals("1.020001", Format.ratio(1.0200009, 1.02));
        assertEquals("1.019", Format.ratio(1.0194, 1.02)); // met: three decimals
        assertEquals("1.020", Format.ratio(1.0199, 1.02)); // met, and reads as the target: nothing to tell apart
        assertEquals("1.156", Format.ratio(1.1561, 1.15)); // missed, and three decimals show it
    }
}
