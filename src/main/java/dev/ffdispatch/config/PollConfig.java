package dev.ffdispatch.config;

import java.time.Duration;

/**
 * {@code poll.*}: the periodic probe of every worker.
 *
 * @param interval     {@code poll.interval}: time between probes of an up host
 * @param timeout      {@code poll.timeout}: one probe's round trip on the worker's link
 * @param backoffMax   {@code poll.backoff_max}: cap of the re-probe back-off for a down host
 * @param wakeInterval {@code poll.wake_interval}: at most one Wake-on-LAN packet per host this often
 */
public record PollConfig(Duration interval, Duration timeout, Duration backoffMax, Duration wakeInterval) {
}
