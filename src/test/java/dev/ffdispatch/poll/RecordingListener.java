package dev.ffdispatch.poll;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Records every call as a line, e.g. {@code "a UNKNOWN->UP"} and {@code "a polled 3"}. */
final class RecordingListener implements PollListener {
    final List<String> transitions = new CopyOnWriteArrayList<>();
    final List<String> reasons = new CopyOnWriteArrayList<>();
    final BlockingQueue<String> polls = new LinkedBlockingQueue<>();

    @Override
    public void stateChanged(PolledHost host, HostState from, HostState to, String reason) {
        transitions.add(host.name() + " " + from + "->" + to);
        reasons.add(reason);
    }

    @Override
    public void polled(PolledHost host, int ffmpegCount, Duration latency) {
        polls.add(host.name() + " polled " + ffmpegCount);
    }

    /** Waits for the next poll report (for the one test with real threads). */
    String nextPoll(Duration timeout) throws InterruptedException {
        return polls.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
