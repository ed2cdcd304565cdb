package dev.ffdispatch.workersetup;

import dev.ffdispatch.doctor.Check;
import dev.ffdispatch.doctor.HostChecks;
import dev.ffdispatch.posix.PosixShell;
import dev.ffdispatch.posix.ProgramPaths;
import dev.ffdispatch.ssh.CommandResult;
import dev.ffdispatch.ssh.RemoteCommandRunner;
import dev.ffdispatch.ssh.SshTarget;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Finds ffmpeg on the worker where docs/workers.md puts it (jellyfin-ffmpeg, then PATH, then
 * Homebrew), checks its version against the local one, ffprobe beside it, and its hwaccels.
 */
final class Tools {
    static final List<String> CANDIDATES = List.of("/usr/lib/jellyfin-ffmpeg/ffmpeg", "$(command -v ffmpeg)",
        "/opt/homebrew/bin/ffmpeg", "/usr/local/bin/ffmpeg");
    private static final String GUIDE = "docs/workers.md#3-ffmpeg";
    private static final String FIND = "for f in " + String.join(" ", CANDIDATES.stream().map(c -> "\"" + c + "\"").toList())
        + "; do if [ -n \"$f\" ] && [ -x \"$f\" ]; then echo \"$f\"; exit 0; fi; done; exit 3";

    private final RemoteCommandRunner runner;
    private final HostChecks hostChecks;
    private final SshTarget target;
    private final Duration timeout;
    private final String os;
    private String program;

    Tools(RemoteCommandRunner runner, HostChecks hostChecks, SshTarget target, Duration timeout, String os) {
        this.runner = runner;
        this.hostChecks = hostChecks;
        this.target = target;
        this.timeout = timeout;
        this.os = os;
    }

    List<Check> check() {
        List<Check> checks = new ArrayList<>();
        program = find();
        if (program == null) {
            checks.add(Check.fail("ffmpeg", "none of " + CANDIDATES + " is executable for " + target.user(),
                "install jellyfin-ffmpeg (Linux) or brew install ffmpeg (macOS) (" + GUIDE + ")"));
            return checks;
        }
        Check ffmpeg = hostChecks.tool("", target.name(), target, "ffmpeg", program, true);
        checks.add(ffmpeg);
        checks.add(hostChecks.tool("", target.name(), target, ProgramPaths.FFPROBE, ffprobe(), false));
        if (ffmpeg.status() != Check.Status.FAIL) {
            checks.add(hwaccels());
        }
        return checks;
    }

    /** The ffmpeg found, for {@code host add --ffmpeg}. */
    Optional<String> program() {
        return Optional.ofNullable(program);
    }

    String ffprobe() {
        return ProgramPaths.ffprobe(null, program);
    }

    private String find() {
        try {
            CommandResult result = runner.run(target, FIND, timeout);
            String found = new String(result.stdout(), StandardCharsets.UTF_8).strip();
            return result.exitCode() == 0 && found.startsWith("/") ? found : null;
        } catch (IOException e) {
            return null;
        }
    }

    private Check hwaccels() {
        List<String> methods;
        try {
            CommandResult result = runner.run(target, "exec " + PosixShell.quote(program) + " -hide_banner -hwaccels", timeout);
            methods = parseHwaccels(new String(result.stdout(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Check.warn("hwaccels", program + " -hwaccels failed: " + e.getMessage(), null);
        }
        String detail = methods.isEmpty() ? "none (software transcoding only)" : String.join(", ", methods);
        if ("Darwin".equals(os) && !methods.contains("videotoolbox")) {
            return Check.warn("hwaccels", detail + ": no videotoolbox on macOS",
                "use a VideoToolbox-enabled build, e.g. brew install ffmpeg (" + GUIDE + ")");
        }
        return Check.ok("hwaccels", detail + " (choose one in Jellyfin that every worker supports)");
    }

    /** The lines after "Hardware acceleration methods:". */
    static List<String> parseHwaccels(String output) {
        List<String> lines = Arrays.stream(output.split("\n")).map(String::strip).filter(l -> !l.isEmpty()).toList();
        int header = 0;
        while (header < lines.size() && !lines.get(header).startsWith("Hardware acceleration methods")) {
            header++;
        }
        return header >= lines.size() ? List.of() : lines.subList(header + 1, lines.size());
    }
}
