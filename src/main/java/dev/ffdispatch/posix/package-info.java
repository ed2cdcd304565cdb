/**
 * What the shim, the daemon, the executors and the SSH side share about POSIX processes and
 * shells: quoting argument bytes for {@code sh}, the exit codes of a job run through ffdispatch,
 * finding the real ffmpeg and ffprobe, and environment variable names. Only {@code java.base}, so
 * the shim can use it without paying for more classes at start-up.
 */
package dev.ffdispatch.posix;
