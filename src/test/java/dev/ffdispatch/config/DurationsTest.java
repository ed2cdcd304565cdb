package dev.ffdispatch.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DurationsTest {
    @Test
    void parsesShortFormsAndIso() {
        assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
        assertEquals(Duration.ofSeconds(3), Durations.parse("3s"));
        assertEquals(Duration.ofMinutes(10), Durations.parse("10m"));
        assertEquals(Duration.ofHours(1), Durations.parse("1h"));
        assertEquals(Duration.ofSeconds(3), Durations.parse("PT3S"));
        assertEquals(Duration.ofSeconds(3), Durations.parse(" 3s "));
    }

    @Test
    void rejectsBareNumbersAndUnknownUnitsNamingTheText() {
        for (String bad : new String[] {"3", "3x", "s", "", "-3s", "PT", "1.5s"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(bad));
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
            assertTrue(e.getMessage().contains("500ms, 3s, 10m, 1h"), e.getMessage());
        }
    }

    @Test
    void formatsInTheLargestExactUnitAndRoundTrips() {
        assertEquals("2m", Durations.format(Duration.ofSeconds(120)));
        assertEquals("90s", Durations.format(Duration.ofSeconds(90)));
        assertEquals("1500ms", Durations.format(Duration.ofMillis(1500)));
        assertEquals("1h", Durations.format(Duration.ofHours(1)));
        assertEquals("0s", Durations.format(Duration.ZERO));
        for (Duration d : new Duration[] {Duration.ofMillis(7), Duration.ofSeconds(61), Duration.ofDays(2)}) {
            assertEquals(d, Durations.parse(Durations.format(d)));
        }
    }
}
