package dev.ffdispatch.ssh;

import java.time.Duration;

/** The outcome of a short remote command (probe, kill): exit code, output and round trip. */
public record CommandResult(int exitCode, byte[] stdout, byte[] stderr, Duration elapsed) {
}
