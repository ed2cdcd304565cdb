package dev.ffdispatch.poll;

import java.time.Duration;

/** Capped exponential back-off: interval, 2x, 4x ... up to the cap. */
final class Backoff {
    /** 2^30 times any sane interval is far beyond any cap; stops the shift from overflowing. */
    private static final int MAX_SHIFT = 30;

    private Backoff() {
    }

    /** The wait after {@code failures} failures in a row (1 = the first failure). */
    static Duration delay(Duration interval, Duration max, int failures) {
        int shift = Math.min(Math.max(failures - 1, 0), MAX_SHIFT);
        Duration delay = interval.multipliedBy(1L << shift);
        return delay.compareTo(max) > 0 ? max : delay;
    }
}
