package dev.ffdispatch.daemon;

import dev.ffdispatch.poll.HostState;
import dev.ffdispatch.poll.PollListener;
import dev.ffdispatch.poll.PolledHost;
import java.time.Duration;

/** Breaks the construction cycle poller -> listener -> host directory -> poller. */
final class HostListenerRelay implements PollListener {
    volatile PollListener target;

    @Override
    public void stateChanged(PolledHost host, HostState from, HostState to, String reason) {
        PollListener t = target;
        if (t != null) {
            t.stateChanged(host, from, to, reason);
        }
    }

    @Override
    public void unreachable(PolledHost host, String reason) {
        PollListener t = target;
        if (t != null) {
            t.unreachable(host, reason);
        }
    }

    @Override
    public void polled(PolledHost host, int ffmpegCount, Duration latency) {
        PollListener t = target;
        if (t != null) {
            t.polled(host, ffmpegCount, latency);
        }
    }
}
