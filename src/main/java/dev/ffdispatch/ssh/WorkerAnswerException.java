package dev.ffdispatch.ssh;

import java.io.IOException;

/**
 * The worker answered, but not with what was asked for (a tool missing there, a file that is not
 * there). The link itself works: the worker is reachable.
 */
public class WorkerAnswerException extends IOException {
    private static final long serialVersionUID = 1L;

    public WorkerAnswerException(String message) {
        super(message);
    }
}
