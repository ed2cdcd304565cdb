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

    /**
     * The host stopped answering at the transport level (connect failed, or probes stopped
     * coming back) and was marked down. Sessions to it may be silently dead: a cut link sends no
     * FIN, so the jobs on them would hang until TCP gives up, minutes later.
     */
    default void unreachable(PolledHost host, String reason) {
    }
}
