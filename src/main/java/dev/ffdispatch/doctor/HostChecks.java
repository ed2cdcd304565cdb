package dev.ffdispatch.doctor;

import dev.ffdispatch.exec.PathMapper;
import dev.ffdispatch.posix.PosixShell;
import dev.ffdispatch.posix.ProgramPaths;
import dev.ffdispatch.ssh.CommandResult;
import dev.ffdispatch.ssh.HostKeyRejectedException;
import dev.ffdispatch.ssh.HostKeys;
import dev.ffdispatch.ssh.RemoteCommandRunner;
import dev.ffdispatch.ssh.SshTarget;
import dev.ffdispatch.store.HostRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One worker's checks, in the order a transcode needs them: key pinned, login, shell start-up
 * time, ffmpeg and ffprobe present with the local major version, shared directories there and
 * writable. A failed key or login skips the rest: they could only fail the same way.
 */
public final class HostChecks {
    /** A worker whose login shell takes longer than this to run {@code true} slows every job start. */
    public static final Duration SLOW_SHELL = Duration.ofMillis(100);
    private static final int MISSING = 3;
    private static final int UNWRITABLE = 4;

    private final RemoteCommandRunner runner;
    private final HostKeys keys;
    private final Duration timeout;
    private final String localVersion;

    /**
     * @param timeout for each remote command, login included
     * @param localVersion the local ffmpeg's version, or null when unknown (no comparison then)
     */
    public HostChecks(RemoteCommandRunner runner, HostKeys keys, Duration timeout, String localVersion) {
        this.runner = runner;
        this.keys = keys;
        this.timeout = timeout;
        this.localVersion = localVersion;
    }

    public List<Check> check(HostRecord host, SshTarget target, List<Path> dirs) {
        List<Check> checks = new ArrayList<>();
        String prefix = "host " + host.name() + ": ";
        if (host.problem() != null) {
            checks.add(Check.fail(prefix + "settings", "the daemon does not use this host: " + host.problem(),
                "ffdispatch host set " + host.name() + " --map <local>=<remote>"));
        }
        Check key = pinned(prefix, target);
        checks.add(key);
        if (key.status() == Check.Status.FAIL) {
            return checks;
        }
        CommandResult first;
        try {
            first = runner.run(target, "true", timeout);
        } catch (HostKeyRejectedException e) {
            checks.add(Check.fail(prefix + "login", e.getMessage(), "ffdispatch host trust " + host.name()));
            return checks;
        } catch (IOException e) {
            checks.add(Check.fail(prefix + "login", "cannot log in as " + target.login() + ": " + e.getMessage(), "check the address and port (ffdispatch host show " + host.name()
                + "), that sshd runs there, and that the ssh.identities public key is in ~" + target.user()
                + "/.ssh/authorized_keys"));
            return checks;
        }
        checks.add(Check.ok(prefix + "login", target.login()
            + " (first command " + first.elapsed().toMillis() + " ms, login included)"));
        checks.add(shell(prefix, target));
        checks.add(tool(prefix, host.name(), target, ProgramPaths.FFMPEG, ProgramPaths.ffmpeg(host.ffmpeg()), true));
        checks.add(tool(prefix, host.name(), target, ProgramPaths.FFPROBE, ProgramPaths.ffprobe(host.ffprobe(), host.ffmpeg()),
            false));
        PathMapper mapper = PathMapper.of(host.mappings());
        for (Path dir : dirs) {
            checks.add(directory(prefix, host.name(), target, mapper, dir));
        }
        return checks;
    }

    private Check pinned(String prefix, SshTarget target) {
        try {
            if (keys.pinned(target).isEmpty()) {
                return Check.fail(prefix + "host key", "no key pinned for " + target.hostPort()
                    + "; the daemon will not log in", "ffdispatch host trust " + target.name());
            }
            return Check.ok(prefix + "host key", "pinned");
        } catch (IOException e) {
            return Check.fail(prefix + "host key", "cannot read known_hosts: " + e.getMessage(),
                "fix the file (state.known_hosts), then: ffdispatch host trust " + target.name());
        }
    }

    /** The second {@code true} runs on the pooled session: what remains is the shell's own start-up. */
    private Check shell(String prefix, SshTarget target) {
        try {
            Duration elapsed = runner.run(target, "true", timeout).elapsed();
            String detail = "'true' takes " + elapsed.toMillis() + " ms over the pooled session";
            if (elapsed.compareTo(SLOW_SHELL) > 0) {
                return Check.warn(prefix + "shell start-up", detail + " (over " + SLOW_SHELL.toMillis()
                    + " ms): every job start pays it", "log in as a dedicated user whose shell is /bin/sh with no start-up"
                    + " files (e.g. useradd -r -s /bin/sh ffdispatch), or trim ~" + target.user() + "/.bashrc");
            }
            return Check.ok(prefix + "shell start-up", detail);
        } catch (IOException e) {
            return Check.fail(prefix + "shell start-up", e.getMessage(), "see the login check");
        }
    }

    /**
     * Runs {@code program -version} on the worker; with {@code compare}, its major version must be the local one's.
     *
     * @param tool "ffmpeg" or "ffprobe", for the check's name and the {@code host set} option in the fix
     */
    public Check tool(String prefix, String hostName, SshTarget target, String tool, String program, boolean compare) {
        String name = prefix + tool;
        CommandResult result;
        try {
            result = runner.run(target, "exec " + PosixShell.quote(program) + " -version", timeout);
        } catch (IOException e) {
            return Check.fail(name, "running " + program + " -version failed: " + e.getMessage(), "see the login check");
        }
        String version = FfmpegVersion.parse(result.stdout());
        if (result.exitCode() != 0 || version == null && result.stdout().length == 0) {
            String err = new String(result.stderr(), StandardCharsets.UTF_8).strip();
            return Check.fail(name, program + " does not run on " + hostName + " (exit " + result.exitCode()
                + (err.isEmpty() ? "" : ": " + TextCut.cut(err, 120)) + ")",
                "install ffmpeg there, or point to it: ffdispatch host set " + hostName + " --" + tool + " <path>");
        }
        String found = program + " " + (version == null ? "(version unknown: a git build?)" : version);
        if (!compare || version == null || localVersion == null) {
            return Check.ok(name, found + (compare && localVersion == null ? "; no local ffmpeg to compare with" : ""));
        }
        if (FfmpegVersion.major(version) != FfmpegVersion.major(localVersion)) {
            return Check.fail(name, found + " but the local ffmpeg is " + localVersion
                + ": Jellyfin checks the local one's options, the worker runs the jobs",
                "install the same major version on both (jellyfin-ffmpeg from the same repository)");
        }
        return Check.ok(name, found + " (local " + localVersion + ")");
    }

    /** Creates and removes a file: the only test of writability that also holds for root and read-only mounts. */
    public Check directory(String prefix, String hostName, SshTarget target, PathMapper mapper, Path dir) {
        String remote = new String(mapper.mapDirectory(dir.toString().getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
        String name = prefix + "dir " + dir + (remote.equals(dir.toString()) ? "" : " -> " + remote);
        String script = "d=" + PosixShell.quote(remote) + "; [ -d \"$d\" ] || exit " + MISSING
            + "; f=\"$d/.ffdispatch-doctor.$$\"; ( : > \"$f\" ) 2>/dev/null || exit " + UNWRITABLE + "; rm -f \"$f\"";
        CommandResult result;
        try {
            result = runner.run(target, script, timeout);
        } catch (IOException e) {
            return Check.fail(name, e.getMessage(), "see the login check");
        }
        return switch (result.exitCode()) {
            case 0 -> Check.ok(name, "exists and is writable by " + target.user());
            case MISSING -> Check.fail(name, remote + " does not exist on " + hostName,
                "mount the shared directory there at " + remote + ", or map it: ffdispatch host set " + hostName
                    + " --map " + dir + "=<path on the worker>");
            case UNWRITABLE -> Check.fail(name, remote + " is not writable by " + target.user() + " on " + hostName,
                "give " + target.user() + " write access to " + remote + " (owner, group or mount options such as rw, uid=)");
            default -> Check.fail(name, "the check exited " + result.exitCode() + ": "
                + new String(result.stderr(), StandardCharsets.UTF_8).strip(), "run it by hand: ssh " + target.user() + "@"
                + target.address() + " 'touch " + remote + "/x'");
        };
    }
}
