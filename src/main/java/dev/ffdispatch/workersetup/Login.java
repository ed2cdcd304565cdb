package dev.ffdispatch.workersetup;

import dev.ffdispatch.doctor.Check;
import dev.ffdispatch.ssh.CommandResult;
import dev.ffdispatch.ssh.RemoteCommandRunner;
import dev.ffdispatch.ssh.SshTarget;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The login and the login shell: the first {@code true} opens the session the later ones reuse. */
final class Login {
    /** Round trips of {@code true} whose median is the shell's start-up. */
    static final int ROUND_TRIPS = 3;

    private final RemoteCommandRunner runner;
    private final SshTarget target;
    private final Duration timeout;
    private final List<byte[]> stdouts = new ArrayList<>();
    private final List<byte[]> stderrs = new ArrayList<>();
    private Duration first;

    Login(RemoteCommandRunner runner, SshTarget target, Duration timeout) {
        this.runner = runner;
        this.target = target;
        this.timeout = timeout;
    }

    /** Logs in; on failure the check says which line to put where. */
    Optional<Check> first(String authorizedKeysLine) {
        try {
            record(runner.run(target, "true", timeout));
            return Optional.empty();
        } catch (IOException e) {
            String user = target.user();
            return Optional.of(Check.fail("login", "cannot log in as " + target.login()
                    + ": " + e.getMessage(),
                "on the worker, add this line to ~" + user + "/.ssh/authorized_keys (owner " + user + ", mode 600; ~" + user
                    + "/.ssh mode 700), see docs/workers.md#2-authorize-the-ffdispatch-key:\n"
                    + "         " + authorizedKeysLine));
        }
    }

    Check loggedIn() {
        return Check.ok("login", target.login() + " with the ssh.identities key ("
            + first.toMillis() + " ms, login included)");
    }

    /** Name, output and start-up time of the login shell. */
    List<Check> shell(String os) {
        List<Check> checks = new ArrayList<>();
        checks.add(LoginShell.name(answer(LoginShell.NAME_COMMAND), os, target.user()));
        List<Duration> trips = new ArrayList<>();
        try {
            for (int i = 0; i < ROUND_TRIPS; i++) {
                trips.add(record(runner.run(target, "true", timeout)).elapsed());
            }
        } catch (IOException e) {
            checks.add(Check.fail("shell start-up", "'true' failed: " + e.getMessage(), "see the login check"));
            return checks;
        }
        checks.add(LoginShell.output(stdouts, stderrs, target.user()));
        checks.add(LoginShell.startup(trips, os));
        return checks;
    }

    /** The command's stdout, "" when it could not run (the check that needs it then fails on its own). */
    String answer(String command) {
        return tryAnswer(command).orElse("");
    }

    Optional<String> tryAnswer(String command) {
        try {
            CommandResult result = runner.run(target, command, timeout);
            return Optional.of(new String(result.stdout(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private CommandResult record(CommandResult result) {
        if (first == null) {
            first = result.elapsed();
        }
        stdouts.add(result.stdout());
        stderrs.add(result.stderr());
        return result;
    }
}
