package dev.pythread.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link LeakSettings#duration}: the lingers the parameter and the annotation accept. */
class LeakSettingsTest {

    @Test
    void millisecondsAndSeconds() {
        assertEquals(TimeUnit.MILLISECONDS.toNanos(500), LeakSettings.duration("500ms"));
        assertEquals(TimeUnit.SECONDS.toNanos(2), LeakSettings.duration("2s"));
        assertEquals(0, LeakSettings.duration("0ms"));
        assertEquals(TimeUnit.SECONDS.toNanos(3), LeakSettings.duration(" 3S "));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "2", "soon", "-1s", "1.5s", "2 s", "1m", "PT1S", "9999999999s"})
    void anythingElseIsRefused(String bad) {
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                () -> LeakSettings.duration(bad));

        assertEquals(bad, thrown.getMessage());
    }
}
