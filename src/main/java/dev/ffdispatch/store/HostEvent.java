package dev.ffdispatch.store;

import java.time.Instant;

/**
 * A change of a host's health or admin state, e.g. {@code up -> down} ("connect timed out").
 *
 * @param from previous state, or null for the first event
 */
public record HostEvent(long id, String host, String from, String to, String reason, Instant at) {
}
