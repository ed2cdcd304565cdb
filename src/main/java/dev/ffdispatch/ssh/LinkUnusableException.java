package dev.ffdispatch.ssh;

import java.io.IOException;

/**
 * The worker ran the link's command but it ended before it was ready (no {@code /bin/sh}, a
 * forced command, a shell that exits): the worker cannot keep a link open, so probes fall back to
 * one command each.
 */
final class LinkUnusableException extends IOException {
    private static final long serialVersionUID = 1L;

    LinkUnusableException(String message) {
        super(message);
    }
}
