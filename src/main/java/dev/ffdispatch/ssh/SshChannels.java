package dev.ffdispatch.ssh;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;

/** Opens long-running exec channels on workers over their pooled sessions. */
public interface SshChannels {

    /**
     * Opens an exec channel running {@code command} through the worker's login shell.
     * The channel's stdout and stderr are written to the given streams as bytes arrive.
     *
     * @param timeout for getting a session (connect and auth when none is pooled) and opening the channel
     * @throws HostKeyRejectedException when the worker's host key is unknown or changed
     * @throws IOException when no channel could be opened; nothing ran on the worker
     */
    RemoteChannel open(SshTarget target, String command, OutputStream stdout, OutputStream stderr, Duration timeout)
        throws IOException;
}
