package dev.pythread.bench.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Where a full run writes: one report per JDK, so that a JDK 25 run does not overwrite JDK 17's. */
class SettingsTest {

    @Test
    void jdk17WritesResultsMdAndAnyOtherJdkAFileOfItsOwn() {
        assertEquals("benchmarks/RESULTS.md", Settings.fullOutput(17));
        assertEquals("benchmarks/RESULTS-jdk25.md", Settings.fullOutput(25));
    }
}
