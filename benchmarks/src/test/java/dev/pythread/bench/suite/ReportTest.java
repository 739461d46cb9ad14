package dev.pythread.bench.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportTest {

    @Test
    void fillsEachPlaceWithItsValueAsIs() {
        assertEquals("| 1.5 | $PWD\\x |", Report.fill("| {{a}} | {{b}} |", Map.of("a", "1.5", "b", "$PWD\\x")));
    }

    @Test
    void aPlaceWithoutValueFails() {
        assertThrows(IllegalStateException.class, () -> Report.fill("{{a}} {{b}}", Map.of("a", "1")));
    }

    @Test
    void aValueWithoutPlaceFails() {
        assertThrows(IllegalStateException.class, () -> Report.fill("{{a}}", Map.of("a", "1", "typo", "2")));
    }

    @Test
    void durationInMinutesAndSeconds() {
        assertEquals("1 min 48 s", Report.duration(108));
    }
}
