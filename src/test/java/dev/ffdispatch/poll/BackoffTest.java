package dev.ffdispatch.poll;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BackoffTest {
    private static final Duration INTERVAL = Duration.ofSeconds(3);
    private static final Duration MAX = Duration.ofSeconds(60);

    @Test
    void doublesFromTheIntervalUpToTheCap() {
        List<Long> seconds = IntStream.rangeClosed(1, 7)
                .mapToObj(n -> Backoff.delay(INTERVAL, MAX, n).toSeconds()).toList();
        assertEquals(List.of(3L, 6L, 12L, 24L, 48L, 60L, 60L), seconds);
    }

    @Test
    void neverOverflowsAndTreatsZeroFailuresAsOneInterval() {
        assertEquals(MAX, Backoff.delay(INTERVAL, MAX, Integer.MAX_VALUE));
        assertEquals(INTERVAL, Backoff.delay(INTERVAL, MAX, 0));
    }
}
