package dev.ffdispatch.config;

/**
 * {@code local.*}: running jobs on this machine when no worker can.
 *
 * @param fallback {@code local.fallback}: run locally when no worker is available
 * @param ffmpeg   {@code local.ffmpeg}: the real local ffmpeg; "" = auto-detect (resolved by the daemon)
 * @param ffprobe  {@code local.ffprobe}: the real local ffprobe; "" = auto-detect
 */
public record LocalConfig(boolean fallback, String ffmpeg, String ffprobe) {
}
