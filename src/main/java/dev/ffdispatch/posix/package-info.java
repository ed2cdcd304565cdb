/**
 * What the shim, the daemon, the executors and the SSH side share about processes and shells:
 * quoting argument bytes for {@code sh} and the names it can export, the exit codes of a job run
 * through ffdispatch, finding the real ffmpeg and ffprobe (and the ffprobe beside a configured
 * ffmpeg), a stream that passes every write through, and named daemon threads. Only
 * {@code java.base}, so the shim can use it without paying for more classes at start-up.
 */
package dev.ffdispatch.posix;
