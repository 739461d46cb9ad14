package dev.pythread.bench.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pythread.bench.suite.Configuration.Rotation;
import org.junit.jupiter.api.Test;

/** The interleaved rotations: every row's two sides in one rotation, no agent in each, and their sizes. */
class RotationTest {

    @Test
    void everyTargetIsMeasuredWithinTheRotationOfItsMeasuredConfiguration() {
        for (Target target : Target.values()) {
            Rotation rotation = target.rotation();
            assertTrue(target.measured().runsIn(rotation) && target.baseline().runsIn(rotation), target::toString);
        }
        assertEquals(Rotation.JSONL, Target.JSONL_COST.rotation());
        assertEquals(Rotation.JFR, Target.JFR_SINK_VS_JFR.rotation());
        assertEquals(Rotation.AGENT, Target.INVENTORY.rotation());
    }

    @Test
    void everyRotationRunsNoAgentAndNoOtherRotationsConfigurations() {
        for (Rotation rotation : Rotation.values()) {
            assertTrue(Configuration.PLAIN.runsIn(rotation), rotation::toString);
        }
        assertTrue(Configuration.JSONL.runsIn(Rotation.JSONL));
        assertFalse(Configuration.JSONL.runsIn(Rotation.JFR));
        assertFalse(Configuration.JFR_SINK.runsIn(Rotation.AGENT));
    }

    @Test
    void theFullRunTakesTurnsInRotationsOfADozenJvms() {
        assertEquals("8, 14 and 10", InterleavedRounds.jvmCounts(Settings.full()));
        assertEquals("4, 7 and 5", InterleavedRounds.jvmCounts(Settings.smoke()));
    }
}
