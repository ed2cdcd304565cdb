package dev.ffdispatch.poll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PollSettingsTest {

    @Test
    void defaultsAreOneSecondTwoSecondsOneMinute() {
        assertEquals(new PollSettings(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(60)),
                PollSettings.defaults());
    }

    @Test
    void rejectsNonPositiveDurationsAndACapBelowTheInterval() {
        String zero = assertThrows(IllegalArgumentException.class,
                () -> new PollSettings(Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(1))).getMessage();
        assertTrue(zero.contains("poll.interval (PT0S)"), zero);
        assertThrows(IllegalArgumentException.class,
                () -> new PollSettings(Duration.ofSeconds(1), Duration.ofSeconds(-1), Duration.ofSeconds(1)));
        String cap = assertThrows(IllegalArgumentException.class,
                () -> new PollSettings(Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofSeconds(5)))
                .getMessage();
        assertTrue(cap.contains("poll.backoff_max (PT5S)") && cap.contains("poll.interval (PT10S)"), cap);
    }
}
