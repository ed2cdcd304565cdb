package dev.ffdispatch.cli;

/**
 * Ends a command with an exit code from {@link AdminExitCodes} and a message for stderr; no stack trace
 * unless {@code --verbose}.
 */
public class CliException extends RuntimeException {
    private final int code;

    public CliException(int code, String message) {
        super(message);
        this.code = code;
    }

    public int code() {
        return code;
    }
}
