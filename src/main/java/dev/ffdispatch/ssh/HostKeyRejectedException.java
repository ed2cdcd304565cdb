package dev.ffdispatch.ssh;

import java.io.IOException;

/** The worker's host key is not pinned, or differs from the pinned one: the host stays out of rotation. */
public class HostKeyRejectedException extends IOException {
    private static final long serialVersionUID = 1L;

    public HostKeyRejectedException(String message) {
        super(message);
    }
}
