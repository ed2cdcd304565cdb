package dev.ffdispatch.ssh;

import java.io.IOException;

/**
 * The worker accepted the login, but its login shell did not start our command within
 * {@code ssh.login_shell_timeout}: its start-up files are too slow (or hang).
 */
public class LoginShellTimeoutException extends IOException {
    private static final long serialVersionUID = 1L;

    public LoginShellTimeoutException(String message) {
        super(message);
    }
}
