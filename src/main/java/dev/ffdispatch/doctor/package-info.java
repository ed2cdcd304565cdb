/**
 * {@code ffdispatch doctor}'s checks: each finds one thing that would make transcodes fail or
 * slow (a running Jellyfin that does not run the shim or keeps its TMPDIR local, a worker
 * unreachable or untrusted, ffmpeg missing or of another major version, a shared directory missing
 * or read-only, a slow login shell, a transcode directory on a snapshotted filesystem) and says
 * how to fix it, as the exact line to change where there is one.
 */
package dev.ffdispatch.doctor;
