package dev.ffdispatch.config;

import java.nio.file.Path;

/**
 * A validated configuration and where it came from.
 *
 * @param config   the effective configuration (defaults, then the file, then environment variables)
 * @param source   the file that was (or would have been) read
 * @param fromFile false when {@code source} did not exist and only defaults and environment apply
 */
public record LoadedConfig(Config config, Path source, boolean fromFile) {
}
