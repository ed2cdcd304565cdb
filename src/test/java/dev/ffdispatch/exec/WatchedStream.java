package dev.ffdispatch.exec;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A sink stream a test can wait on: no sleeping, the writer wakes the waiter. */
final class WatchedStream extends ByteArrayOutputStream {

    @Override
    public synchronized void write(int b) {
        super.write(b);
        notifyAll();
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        super.write(b, off, len);
        notifyAll();
    }

    /** Waits until the text written so far contains {@code expected}; fails after {@code timeout}. */
    synchronized void awaitContains(String expected, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!text().contains(expected)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no '" + expected + "' within " + timeout + "; got: '" + text() + "'");
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    synchronized String text() {
        return toString(StandardCharsets.UTF_8);
    }
}
