package dev.ffdispatch.ssh;

import java.io.IOException;
import java.time.Duration;

/** Runs short commands on workers over their pooled sessions (probes, kills, checks). */
public interface RemoteCommandRunner {

    /**
     * Runs {@code command} through the worker's login shell and waits for it, at most
     * {@code timeout} in all (connect included).
     *
     * @throws HostKeyRejectedException when the worker's host key is unknown or changed
     * @throws IOException when the worker cannot be reached, or the command timed out
     */
    CommandResult run(SshTarget target, String command, Duration timeout) throws IOException;
}
