/**
 * {@code ffdispatch doctor}'s checks: each finds one thing that would make transcodes fail or
 * slow (a worker unreachable or untrusted, ffmpeg missing or of another major version, a shared
 * directory missing or read-only, a slow login shell, a transcode directory on a snapshotted
 * filesystem) and says how to fix it.
 */
package dev.ffdispatch.doctor;
