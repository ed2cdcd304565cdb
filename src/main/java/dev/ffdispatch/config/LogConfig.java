package dev.ffdispatch.config;

import java.nio.file.Path;

/**
 * {@code log.*}: the daemon's log.
 *
 * @param level {@code log.level}: one of error, warn, info, debug, trace
 * @param file  {@code log.file}: log file; {@code null} (written "" in YAML) = stderr only
 */
public record LogConfig(String level, Path file) {
}
