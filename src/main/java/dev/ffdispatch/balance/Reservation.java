package dev.ffdispatch.balance;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One job's place on a host, taken by {@link HostBook#reserve}. Hold it for the job's whole
 * life (a drained host keeps it until the job ends) and release it exactly when the job ends
 * or fails to start; releasing twice is harmless.
 */
public final class Reservation {
    private final long hostId;
    private final String hostName;
    private final Runnable onRelease;
    private final AtomicBoolean released = new AtomicBoolean();

    /** @param onRelease gives the place back in the book that made it; run once */
    public Reservation(long hostId, String hostName, Runnable onRelease) {
        this.hostId = hostId;
        this.hostName = hostName;
        this.onRelease = onRelease;
    }

    public long hostId() {
        return hostId;
    }

    public String hostName() {
        return hostName;
    }

    /** Gives the job's place back. Idempotent. */
    public void release() {
        if (released.compareAndSet(false, true)) {
            onRelease.run();
        }
    }

    @Override
    public String toString() {
        return "Reservation[host=" + hostName + ", id=" + hostId + ", released=" + released.get() + "]";
    }
}
