package dev.ffdispatch.workersetup;

import dev.ffdispatch.doctor.Check;
import dev.ffdispatch.doctor.HostChecks;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Judges the worker's login shell from what it answers: its name ({@code echo "$0"}: sshd starts
 * it as {@code <shell> -c <command>}, so {@code $0} is the shell even where {@code ps} is missing),
 * the round trips of {@code true}, and anything those printed.
 */
final class LoginShell {
    static final String NAME_COMMAND = "echo \"$0\"";
    static final String GUIDE = "docs/workers.md#1-a-dedicated-user-with-binsh";
    private static final int SHOWN_BYTES = 60;

    private LoginShell() {
    }

    /** The check of the shell's name, e.g. {@code /bin/sh}, {@code -bash}, {@code zsh}. */
    static Check name(String answer, String os, String user) {
        String shell = answer.strip();
        String base = shell.substring(shell.lastIndexOf('/') + 1).replaceFirst("^-", "");
        String detail = "login shell of " + user + " is " + (shell.isEmpty() ? "unknown (empty $0)" : shell);
        return switch (base) {
            case "sh", "dash", "ash" -> Check.ok("login shell", detail);
            default -> Check.warn("login shell", detail + ": its start-up files run for every job",
                "log in as a dedicated user with /bin/sh: " + createUser(os) + " (" + GUIDE + ")");
        };
    }

    private static String createUser(String os) {
        return "Darwin".equals(os)
            ? "sudo dscl . -create /Users/ffdispatch UserShell /bin/sh (or sysadminctl -addUser ffdispatch -shell /bin/sh)"
            : "useradd -r -m -s /bin/sh ffdispatch";
    }

    /**
     * Anything {@code true} printed on stdout comes from start-up files (a MOTD, an echo in
     * .bashrc) and would be prepended to ffmpeg's stdout; on stderr it only clutters the log.
     */
    static Check output(List<byte[]> stdouts, List<byte[]> stderrs, String user) {
        for (byte[] out : stdouts) {
            if (out.length > 0) {
                return Check.fail("login output", "'true' printed " + out.length + " byte(s) on stdout: " + shown(out)
                    + "; they would corrupt ffmpeg's stdout (Jellyfin's ffmpeg detection, piped output)",
                    "remove what prints at login for " + user + " (MOTD, echo in ~/.bashrc, ~/.profile, conda/nvm init);"
                        + " ssh <worker> true | wc -c must print 0 (" + GUIDE + ")");
            }
        }
        for (byte[] err : stderrs) {
            if (err.length > 0) {
                return Check.warn("login output", "'true' printed on stderr: " + shown(err),
                    "remove what prints at login for " + user + "; it ends up in every job's log (" + GUIDE + ")");
            }
        }
        return Check.ok("login output", "nothing printed at login");
    }

    /** The median round trip of {@code true} over the open session: the shell's own start-up. */
    static Check startup(List<Duration> roundTrips, String os) {
        Duration median = median(roundTrips);
        String detail = "'true' takes " + median.toMillis() + " ms over the open session (median of " + roundTrips.size() + ")";
        if (median.compareTo(HostChecks.SLOW_SHELL) > 0) {
            return Check.warn("shell start-up", detail + ", over " + HostChecks.SLOW_SHELL.toMillis()
                + " ms: every job start pays it", "log in as a dedicated user with /bin/sh and no start-up files: "
                + createUser(os) + " (" + GUIDE + ")");
        }
        return Check.ok("shell start-up", detail);
    }

    static Duration median(List<Duration> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("median of no values");
        }
        List<Duration> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }

    private static String shown(byte[] bytes) {
        String text = new String(bytes, 0, Math.min(bytes.length, SHOWN_BYTES), StandardCharsets.UTF_8)
            .replace("\n", "\\n").replace("\r", "\\r");
        return "'" + text + (bytes.length > SHOWN_BYTES ? "...'" : "'");
    }
}
