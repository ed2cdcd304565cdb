/**
 * What an ffmpeg can do, and what a job needs of it. Recognizes Jellyfin's capability probes by
 * their exact arguments ({@link CapabilityProbes}), reads a profile's probe output into
 * {@link Capabilities} (encoders, decoders, filters, hardware devices that work), derives a job's
 * {@link Needs} from its arguments (codec options, hardware devices, filter graphs parsed as
 * libavfilter parses them), and holds the POSIX {@code sh} script that learns a profile in one run
 * ({@link LearnScript}). Pure code: no I/O, no dependencies.
 */
package dev.ffdispatch.caps;
