package dev.ffdispatch.exec;

/** Nothing was started: retrying the job on another host (or locally) is safe. */
public class NotStartedException extends Exception {
    private static final long serialVersionUID = 1L;

    public NotStartedException(String message, Throwable cause) {
        super(message, cause);
    }

    public NotStartedException(String message) {
        super(message);
    }
}
