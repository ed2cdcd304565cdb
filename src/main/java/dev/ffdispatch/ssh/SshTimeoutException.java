package dev.ffdispatch.ssh;

import java.io.IOException;

/**
 * A remote command did not finish in time on an established session. Unlike a refused or
 * failed connection this says little about the worker: the daemon's own machine may simply
 * have been too busy to read the answer.
 */
public class SshTimeoutException extends IOException {
    private static final long serialVersionUID = 1L;

    public SshTimeoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
