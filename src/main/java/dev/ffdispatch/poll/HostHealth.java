package dev.ffdispatch.poll;

import java.time.Duration;
import java.time.Instant;

/**
 * One host's health at one moment.
 *
 * @param state the current state
 * @param reason why the host is in this state
 * @param since when it entered this state
 * @param lastLatency round trip of the last good probe; null before the first
 * @param lastPolled when the host last answered a probe; null before the first
 * @param lastError the last failure's reason; null if it never failed
 * @param ffmpegCount ffmpeg processes seen by the last good probe; -1 before the first
 * @param nextProbeAt when the next probe is due
 * @param failures failures since the last good probe (drives the back-off)
 */
public record HostHealth(HostState state, String reason, Instant since, Duration lastLatency, Instant lastPolled,
        String lastError, int ffmpegCount, Instant nextProbeAt, int failures) {
}
