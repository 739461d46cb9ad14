package dev.pythread.bench.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pythread.bench.suite.Configuration.Rotation;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where a full run writes, and how its interleaved rounds split into batches of fresh JVMs. */
class SettingsTest {

    @Test
    void jdk17WritesResultsMdAndAnyOtherJdkAFileOfItsOwn() {
        assertEquals("benchmarks/RESULTS.md", Settings.fullOutput(17));
        assertEquals("benchmarks/RESULTS-jdk25.md", Settings.fullOutput(25));
    }

    @Test
    void theFullRunsRoundsSplitIntoItsBatches() {
        Settings full = Settings.full();
        assertEquals(full.rounds(), full.roundsPerBatch() * full.batches());
        assertEquals(40, full.roundsPerBatch());
    }

    @Test
    void onlyTheJfrRotationWarmsUpForItsOwnRounds() {
        Settings settings = new Settings(false, "x", 4, 20, 2, 2, 3, 120, 70, 140, 300, List.of());
        assertEquals(140, settings.warmupRounds(Rotation.JFR));
        assertEquals(70, settings.warmupRounds(Rotation.JSONL));
        assertEquals(70, settings.warmupRounds(Rotation.AGENT));
    }

    @Test
    void roundsThatDoNotSplitIntoTheBatchesAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new Settings(false, "x", 4, 20, 2, 2, 3, 100, 6, 6, 300, List.of()));
    }
}
