package dev.ffdispatch.poll;

import java.time.Duration;
import java.util.Objects;

/**
 * How often and how patiently the poller probes.
 *
 * @param interval time between two probes of a healthy host ({@code poll.interval}); also the
 *     first back-off step
 * @param timeout the most one probe's round trip may take ({@code poll.timeout}); starting the
 *     worker's link (connect, login shell) has its own limits
 * @param backoffMax the longest wait between probes of a failing host ({@code poll.backoff_max})
 */
public record PollSettings(Duration interval, Duration timeout, Duration backoffMax) {
    /** A probe is one line each way on the worker's open link: cheap enough for every second. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration DEFAULT_BACKOFF_MAX = Duration.ofSeconds(60);

    public PollSettings {
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(backoffMax, "backoffMax");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("poll.interval (" + interval + ") must be positive, e.g. 1s");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("poll.timeout (" + timeout + ") must be positive, e.g. 5s");
        }
        if (backoffMax.compareTo(interval) < 0) {
            throw new IllegalArgumentException("poll.backoff_max (" + backoffMax
                    + ") must be at least poll.interval (" + interval + ")");
        }
    }

    /** 1 s interval, 2 s timeout, 60 s back-off cap. */
    public static PollSettings defaults() {
        return new PollSettings(DEFAULT_INTERVAL, DEFAULT_TIMEOUT, DEFAULT_BACKOFF_MAX);
    }
}
