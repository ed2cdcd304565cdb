package dev.ffdispatch.poll;

/** A probe came back, but its answer is not a usable count; the message says why. */
final class ProbeFailedException extends Exception {
    private static final long serialVersionUID = 1L;

    private final boolean slow;

    ProbeFailedException(String message) {
        this(message, false);
    }

    /** @param slow the answer was fine but came after poll.timeout */
    ProbeFailedException(String message, boolean slow) {
        super(message);
        this.slow = slow;
    }

    boolean slow() {
        return slow;
    }
}
