package dev.ffdispatch.poll;

import java.time.Duration;

/**
 * What the poller reports. Calls come one at a time, in the order things happened, never while
 * the poller holds its lock (a listener may call back into the poller). A listener that throws
 * is logged and does not stop polling.
 */
public interface PollListener {

    /** A host changed state; called exactly once per transition, with its reason. */
    void stateChanged(PolledHost host, HostState from, HostState to, String reason);

    /** A probe answered: {@code ffmpegCount} processes named ffmpeg run on the host (ours included). */
    void polled(PolledHost host, int ffmpegCount, Duration latency);
}
