package dev.ffdispatch.ssh;

import java.io.IOException;
import java.time.Duration;

/** One overall time budget shared by the steps of a call (connect, auth, channel open). */
record Deadline(long endNanos, Duration total) {

    static Deadline after(Duration timeout) {
        return new Deadline(System.nanoTime() + timeout.toNanos(), timeout);
    }

    Duration remaining() {
        long left = endNanos - System.nanoTime();
        return left <= 0 ? Duration.ZERO : Duration.ofNanos(left);
    }

    /** The step's own limit, cut to what is left of the whole budget. */
    Duration cap(Duration step) {
        Duration left = remaining();
        return left.compareTo(step) < 0 ? left : step;
    }

    /** Fails when the budget is spent, naming the host and the step that could not start. */
    void check(SshTarget target, String step) throws IOException {
        if (remaining().isZero()) {
            throw new IOException("host " + target.name() + ": no time left for " + step + " (timeout " + Reasons.duration(total) + ")");
        }
    }
}
