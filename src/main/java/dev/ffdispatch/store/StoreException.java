package dev.ffdispatch.store;

/** A store operation that did not happen; {@link #kind()} says why (the CLI maps it to an exit code). */
public class StoreException extends RuntimeException {
    /** Why an operation failed. */
    public enum Kind {
        /** A host with that name already exists. */
        DUPLICATE,
        /** No host with that name. */
        UNKNOWN,
        /** A value is out of range or malformed. */
        INVALID,
        /** The host has running jobs (remove without force). */
        IN_USE,
        /** Another process held the write lock longer than the busy timeout. */
        BUSY,
        /** The database file cannot be opened, read or written. */
        IO,
        /** The database server cannot be reached now (down, network, refused login): try again later. */
        UNAVAILABLE
    }

    private final Kind kind;

    public StoreException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public StoreException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
