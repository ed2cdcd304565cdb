package dev.ffdispatch.metrics;

/**
 * One worker's state at scrape time, as the daemon's balancer and poller see it.
 *
 * @param host the worker's name
 * @param up true while it answers probes (up or drained)
 * @param eligible true while it may take new jobs (up and not drained)
 * @param score the ranking score (lower wins)
 * @param foreign ffmpeg processes there that ffdispatch did not start
 * @param ffmpegProcesses ffmpeg processes the last probe counted; -1 before the first probe
 */
public record HostSample(String host, boolean up, boolean eligible, long score, int foreign, int ffmpegProcesses) {
}
