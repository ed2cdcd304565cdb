package dev.ffdispatch.workersetup;

import dev.ffdispatch.doctor.Check;
import dev.ffdispatch.doctor.Filesystems;
import dev.ffdispatch.doctor.HostChecks;
import dev.ffdispatch.exec.PathMapper;
import dev.ffdispatch.posix.PosixShell;
import dev.ffdispatch.ssh.CommandResult;
import dev.ffdispatch.ssh.RemoteCommandRunner;
import dev.ffdispatch.ssh.SshTarget;
import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Each shared directory on the worker (after --map): there and writable (the doctor's check),
 * then, on Linux, the filesystem it is on.
 */
final class SharedDirs {
    private final RemoteCommandRunner runner;
    private final HostChecks hostChecks;
    private final SshTarget target;
    private final Duration timeout;
    private final String os;
    private final SetupRequest request;
    private final PathMapper mapper;

    SharedDirs(RemoteCommandRunner runner, HostChecks hostChecks, SshTarget target, Duration timeout, String os,
               SetupRequest request) {
        this.runner = runner;
        this.hostChecks = hostChecks;
        this.target = target;
        this.timeout = timeout;
        this.os = os;
        this.request = request;
        this.mapper = PathMapper.of(request.maps());
    }

    List<Check> check() {
        List<Check> checks = new ArrayList<>();
        if (request.transcodes() != null) {
            check(request.transcodes(), true, checks);
        }
        for (Path dir : request.paths()) {
            check(dir, false, checks);
        }
        return checks;
    }

    private void check(Path dir, boolean transcodes, List<Check> checks) {
        Check there = hostChecks.directory("", target.name(), target, mapper, dir);
        String remote = remote(dir);
        if (there.status() == Check.Status.FAIL && "Darwin".equals(os) && remote.equals(dir.toString())) {
            there = new Check(there.name(), there.status(), there.detail(), macFix(dir));
        }
        checks.add(there);
        if (there.status() == Check.Status.OK && "Linux".equals(os)) {
            checks.add(filesystem(dir, remote, transcodes));
        }
    }

    /** macOS will not create folders at the root (SIP): shares belong under /Volumes and get mapped. */
    private String macFix(Path dir) {
        String volumes = "";
        try {
            volumes = new String(runner.run(target, "ls /Volumes", timeout).stdout(), StandardCharsets.UTF_8)
                .strip().replace('\n', ',');
        } catch (IOException e) {
            // the fix stays useful without the list
        }
        return "macOS cannot create " + dir + " at the root (SIP): mount the share under /Volumes and run again with --map "
            + dir + "=/Volumes/<share>" + (volumes.isEmpty() ? "" : " (/Volumes has: " + volumes + ")")
            + " (docs/workers.md#path-mapping-macos)";
    }

    private Check filesystem(Path dir, String remote, boolean transcodes) {
        String name = "filesystem " + dir + (remote.equals(dir.toString()) ? "" : " -> " + remote);
        String script = "d=" + PosixShell.quote(remote) + "; if command -v findmnt >/dev/null 2>&1; then "
            + "findmnt -no FSTYPE,OPTIONS -T \"$d\"; else echo \"@$(cd \"$d\" && pwd -P)\"; cat /proc/mounts; fi";
        String answer;
        try {
            CommandResult result = runner.run(target, script, timeout);
            answer = new String(result.stdout(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return Check.warn(name, "cannot read the mounts: " + e.getMessage(), null);
        }
        String[] typeAndOptions = parse(answer);
        return MountCheck.judge(name, typeAndOptions == null ? null : typeAndOptions[0],
            typeAndOptions == null ? "" : typeAndOptions[1], transcodes, sameMachine(target.address()));
    }

    /** findmnt's {@code TYPE OPTIONS} line, or {@code @<real path>} followed by /proc/mounts. */
    static String[] parse(String answer) {
        String trimmed = answer.strip();
        if (trimmed.isEmpty()) {
            return null;
        }
        if (trimmed.startsWith("@")) {
            int newline = trimmed.indexOf('\n');
            String real = newline < 0 ? trimmed.substring(1) : trimmed.substring(1, newline);
            return newline < 0 || real.isEmpty() ? null : Filesystems.typeAndOptions(Path.of(real), trimmed.substring(newline + 1));
        }
        String[] f = trimmed.split("\\s+", 2);
        return new String[] {f[0], f.length > 1 ? f[1] : ""};
    }

    private String remote(Path dir) {
        return new String(mapper.mapDirectory(dir.toString().getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }

    /** A worker that is this machine shares its local disk with Jellyfin (the demo, a test, a single box). */
    static boolean sameMachine(String address) {
        try {
            InetAddress resolved = InetAddress.getByName(address);
            return resolved.isLoopbackAddress() || NetworkInterface.getByInetAddress(resolved) != null;
        } catch (IOException e) {
            return false;
        }
    }
}
