/**
 * The ffmpeg/ffprobe entry point Jellyfin executes. Connects to the daemon's Unix socket, sends
 * the request, relays stdin/stdout/stderr byte-exact and exits with the job's code; runs the local
 * ffmpeg itself when the daemon is unreachable. Uses only {@code java.base}, {@code protocol} and
 * {@code posix}, because it pays JVM start-up on every Jellyfin call.
 */
package dev.ffdispatch.shim;
