package dev.ffdispatch.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What every benchmark shares: the checkout, the built jar, a scratch directory every login user
 * can read (OpenSSH workers log in as {@link Sshd#workerUser()}), the one client key, the run size.
 */
record BenchContext(Path repo, Path jar, Path work, Path identity, PublicKey clientKey, boolean quick, PrintStream out,
                    List<String> failures) {
    static final String FFMPEG = "/usr/bin/ffmpeg";
    static final String FFPROBE = "/usr/bin/ffprobe";

    /** A row that failed (not one that cannot run here): the run then says not every table is complete. */
    void failed(String what) {
        failures.add(what);
    }

    /** The quick or the full count. */
    int pick(int quickValue, int fullValue) {
        return quick ? quickValue : fullValue;
    }

    /** The shim launcher as Jellyfin runs it: bin/ffmpeg or bin/ffprobe of this checkout. */
    String shim(String tool) {
        return repo.resolve("bin").resolve(tool).toString();
    }

    Path dir(String name) throws IOException {
        return Files.createDirectories(work.resolve(name));
    }

    /** A small real clip (2 s, 320x240, mpeg4 + aac) for ffprobe and transcodes. */
    Path clip() throws IOException, InterruptedException {
        Path clip = work.resolve("clip.mp4");
        if (!Files.exists(clip)) {
            Procs.run(Duration.ofSeconds(60), FFMPEG, "-hide_banner", "-loglevel", "error", "-y",
                "-f", "lavfi", "-i", "testsrc2=duration=2:size=320x240:rate=25",
                "-f", "lavfi", "-i", "sine=frequency=440:duration=2",
                "-c:v", "mpeg4", "-c:a", "aac", "-shortest", clip.toString());
        }
        return clip;
    }

    /** ssh options (with a pinned host key) for the given sshd, plus {@code extra}. */
    List<String> ssh(Sshd sshd, String user, List<String> extra, String... remote) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ssh"));
        cmd.addAll(sshd.sshOptions(identity, work.resolve("ssh_known_hosts_" + sshd.port)));
        cmd.addAll(extra);
        cmd.add(user + "@127.0.0.1");
        cmd.addAll(List.of(remote));
        return cmd;
    }

    /** OpenSSH connection sharing: the first call starts a master that later calls reuse. */
    List<String> controlMaster(String name) {
        // Unix socket paths are limited to 108 bytes: keep it short, in the scratch directory.
        return List.of("-o", "ControlMaster=auto", "-o", "ControlPath=" + work.resolve("cm-" + name),
            "-o", "ControlPersist=60");
    }

    /** Stops a ControlMaster started by {@link #controlMaster}. */
    void stopControlMaster(Sshd sshd, String user, String name) {
        try {
            List<String> cmd = ssh(sshd, user, controlMaster(name));
            cmd.add(cmd.size() - 1, "-O");
            cmd.add(cmd.size() - 1, "exit");
            Procs.run(Duration.ofSeconds(10), java.util.Map.of(), cmd);
        } catch (IOException | InterruptedException e) {
            out.println("   (could not stop the ssh ControlMaster " + name + ": " + e.getMessage() + ")");
        }
    }
}
