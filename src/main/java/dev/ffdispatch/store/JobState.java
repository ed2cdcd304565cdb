package dev.ffdispatch.store;

import java.util.Locale;

/** Where a job in the history stands; stored, shown and tagged in metrics by its {@link #label}. */
public enum JobState {
    /** Started and not ended (or its daemon died before it could record the end). */
    RUNNING,
    /** Ended with exit code 0. */
    OK,
    /** Ended with another exit code. */
    FAILED,
    /** Ended by ffdispatch: the shim went away (Jellyfin stopped it), or the daemon shut down. */
    CANCELLED,
    /** Its result is unknown: the worker's connection was lost, or an earlier daemon run left it behind. */
    LOST;

    /** The stored and shown form: the name in lower case. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The state stored as {@code label}. */
    static JobState of(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT));
    }
}
