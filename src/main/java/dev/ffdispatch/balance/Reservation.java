package dev.ffdispatch.balance;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One job's place on a host, taken by {@link LoadBook#reserve}. Hold it for the job's whole
 * life (a drained host keeps it until the job ends) and release it exactly when the job ends
 * or fails to start; releasing twice is harmless.
 */
public final class Reservation {
    private final LoadBook book;
    private final LoadBook.HostSlot slot;
    private final long hostId;
    private final String hostName;
    private final AtomicBoolean released = new AtomicBoolean();

    Reservation(LoadBook book, LoadBook.HostSlot slot, long hostId, String hostName) {
        this.book = book;
        this.slot = slot;
        this.hostId = hostId;
        this.hostName = hostName;
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
            book.release(slot);
        }
    }

    @Override
    public String toString() {
        return "Reservation[host=" + hostName + ", id=" + hostId + ", released=" + released.get() + "]";
    }
}
