/**
 * {@code ffdispatch worker-setup}: checks one worker before (or after) it is added, in the order
 * docs/workers.md sets it up (reachable, host key, login, shell, OS, ffmpeg, shared directories,
 * pgrep), and prints the {@code host add} line that fits what it found. Remote checks reuse
 * {@link dev.ffdispatch.doctor.HostChecks}; the parsing of what workers answer lives in small pure
 * classes here so it is tested without a worker.
 */
package dev.ffdispatch.workersetup;
