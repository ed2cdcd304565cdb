package dev.ffdispatch.daemon;

import dev.ffdispatch.exec.RunningJob;
import dev.ffdispatch.protocol.Tool;
import java.time.Instant;

/**
 * A job the daemon is running now. The store id arrives asynchronously (one writer thread owns
 * the database), so the live registry keys jobs by a daemon-local number.
 */
final class LiveJob {
    final long number;
    final Tool tool;
    final String host;
    final String command;
    final Instant started;
    final String fallbackReason;
    /** The history row's id once written (0 before); set by the ledger's writer. */
    volatile long storeId;
    volatile long pid = -1;
    /** Set before the daemon ends the job itself; null for a natural end. */
    volatile Cancel cancelled;
    volatile RunningJob job;

    /** Why the daemon ended a job. */
    enum Cancel {
        /** The shim went away (Jellyfin stopped or killed it): nobody reads the job any more. */
        SHIM_GONE,
        /** The daemon is stopping and the job outlived {@code daemon.shutdown_grace}. */
        SHUTDOWN
    }

    LiveJob(long number, Tool tool, String host, String command, Instant started, String fallbackReason) {
        this.number = number;
        this.tool = tool;
        this.host = host;
        this.command = command;
        this.started = started;
        this.fallbackReason = fallbackReason;
    }

    /** The store's id when known, else the negative local number (shown as such in status). */
    long id() {
        long id = storeId;
        return id > 0 ? id : -number;
    }
}
