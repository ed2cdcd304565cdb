/**
 * Periodic probes of every worker over its pooled SSH session (ffmpeg process count, latency)
 * and the host health state machine with capped back-off.
 */
package dev.ffdispatch.poll;
