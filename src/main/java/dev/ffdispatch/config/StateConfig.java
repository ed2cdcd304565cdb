package dev.ffdispatch.config;

import java.nio.file.Path;

/**
 * {@code state.*}: files ffdispatch keeps between runs.
 *
 * @param database   {@code state.database}: the SQLite file (hosts, jobs, host events)
 * @param knownHosts {@code state.known_hosts}: worker host keys, managed by ffdispatch
 */
public record StateConfig(Path database, Path knownHosts) {
}
