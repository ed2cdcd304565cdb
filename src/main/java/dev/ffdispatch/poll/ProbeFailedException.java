package dev.ffdispatch.poll;

/** A probe came back, but its answer is not a usable count; the message says why. */
final class ProbeFailedException extends Exception {
    private static final long serialVersionUID = 1L;

    ProbeFailedException(String message) {
        super(message);
    }
}
