package dev.ffdispatch.cli;

import dev.ffdispatch.store.StoreException;

/**
 * The exit codes of the {@code ffdispatch} admin commands, the one table docs/cli.md documents.
 * (An ffmpeg/ffprobe call through the shim has its own: {@link dev.ffdispatch.posix.JobExitCodes}.)
 */
public final class AdminExitCodes {
    /** Done. */
    public static final int OK = 0;
    /** Failed for a reason outside the input: database busy or unreadable, daemon unreachable. */
    public static final int ERROR = 1;
    /** The input is wrong: bad option value, unknown host, duplicate name, bad config file. */
    public static final int INVALID_INPUT = 2;
    /** The input is fine but the state forbids it: e.g. removing a host with running jobs. */
    public static final int UNEXPECTED_STATE = 3;
    /** A bug in ffdispatch: please report it with the output of {@code --verbose}. */
    public static final int INTERNAL = 4;

    private AdminExitCodes() {
    }

    /** The exit code for a store failure. */
    public static int of(StoreException.Kind kind) {
        return switch (kind) {
            case DUPLICATE, UNKNOWN, INVALID -> INVALID_INPUT;
            case IN_USE -> UNEXPECTED_STATE;
            case BUSY, IO, UNAVAILABLE -> ERROR;
        };
    }
}
