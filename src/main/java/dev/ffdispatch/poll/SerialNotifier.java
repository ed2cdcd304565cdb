package dev.ffdispatch.poll;

import java.util.ArrayDeque;
import java.util.Queue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers listener calls one at a time in the order they were queued, outside the poller's
 * lock: events are queued under the lock (which fixes their order) and delivered after it is
 * released by whichever thread gets to drain first.
 */
final class SerialNotifier {
    private static final Logger log = LoggerFactory.getLogger(SerialNotifier.class);

    private final Queue<Runnable> queue = new ArrayDeque<>();
    private boolean draining;

    synchronized void enqueue(Runnable event) {
        queue.add(event);
    }

    /** Delivers everything queued; returns at once if another thread is already delivering. */
    void drain() {
        synchronized (this) {
            if (draining) {
                return;
            }
            draining = true;
        }
        while (true) {
            Runnable next;
            synchronized (this) {
                next = queue.poll();
                if (next == null) {
                    draining = false;
                    return;
                }
            }
            deliver(next);
        }
    }

    private static void deliver(Runnable event) {
        try {
            // Throwable: a failing listener must never stop the delivery of later events.
            event.run();
        } catch (Throwable e) {
            log.warn("poll listener failed; polling continues", e);
        }
    }
}
