package dev.ffdispatch.doctor;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The running Jellyfin, as doctor sees it: which ffmpeg it runs (it must be ffdispatch's shim, or
 * every job stays on this machine without a word) and whether its TMPDIR is shared with the workers.
 */
public final class JellyfinChecks {
    /** Where the Debian package and the container images install the shim. */
    public static final String PACKAGED_SHIM = "/usr/lib/ffdispatch/bin/ffmpeg";
    /** Temporary directories that only this machine sees. */
    private static final List<String> LOCAL_TEMP = List.of("/tmp", "/var/tmp");

    private final Path proc;
    private final Path root;
    private final String shim;
    private final List<Path> tempDirs = new ArrayList<>();
    private final List<Path> transcodeDirs = new ArrayList<>();

    /**
     * @param proc /proc, or a test's copy of its layout
     * @param root the filesystem root Jellyfin's paths are read in
     * @param shim the ffdispatch ffmpeg shim Jellyfin should run
     */
    public JellyfinChecks(Path proc, Path root, String shim) {
        this.proc = proc;
        this.root = root;
        this.shim = shim;
    }

    /** The shim beside this installation: {@code <dir>/bin/ffmpeg} for the jar in {@code <dir>}, or a source checkout's bin/ffmpeg. */
    public static String installedShim() {
        try {
            Path code = Path.of(JellyfinChecks.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path dir = code.getParent(); // the jar's directory, or target/ for target/classes
            for (Path candidate : List.of(dir.resolve("bin/ffmpeg"), dir.resolveSibling("bin/ffmpeg"))) {
                if (Files.exists(candidate)) {
                    return candidate.normalize().toString();
                }
            }
        } catch (URISyntaxException | RuntimeException e) {
            // no code source (an unusual class loader): the packaged path is the best guess
        }
        return PACKAGED_SHIM;
    }

    public List<Check> check() {
        List<JellyfinProcess> found = JellyfinProcess.find(proc);
        if (found.isEmpty()) {
            return List.of(Check.warn("jellyfin", "no running Jellyfin here (no process named jellyfin, no dotnet running"
                + " jellyfin.dll), so which ffmpeg it runs is unknown", "start Jellyfin, or run doctor where it runs"
                + " (in its container: docker exec <container> ffdispatch doctor)"));
        }
        List<Check> checks = new ArrayList<>();
        for (JellyfinProcess jellyfin : found) {
            String name = found.size() == 1 ? "jellyfin" : "jellyfin pid " + jellyfin.pid();
            JellyfinInstall install = JellyfinInstall.of(jellyfin, root);
            checks.add(ffmpeg(name, jellyfin, install));
            checks.add(tmpdir(name, jellyfin, install));
            JellyfinFfmpeg.transcodePath(jellyfin, root).map(Path::of).ifPresent(transcodeDirs::add);
        }
        return checks;
    }

    /** {@code $TMPDIR/jellyfin} of each Jellyfin whose environment could be read: directories the workers must share. */
    public List<Path> tempDirs() {
        return List.copyOf(tempDirs);
    }

    /** The transcode directory of each Jellyfin found, as its encoding.xml or cache directory says. */
    public List<Path> transcodeDirs() {
        return List.copyOf(transcodeDirs);
    }

    private Check ffmpeg(String name, JellyfinProcess jellyfin, JellyfinInstall install) {
        JellyfinFfmpeg ffmpeg = JellyfinFfmpeg.of(jellyfin, root);
        String found = "pid " + jellyfin.pid() + " (" + describe(install) + ") runs " + ffmpeg.path() + ", from " + ffmpeg.where();
        boolean isShim = isShim(ffmpeg.path(), jellyfin);
        if (!ffmpeg.certain()) {
            return Check.warn(name + ": ffmpeg", found + "; its environment is not readable by this user, so JELLYFIN_FFMPEG"
                + " may name another", "run doctor as root or as Jellyfin's user (sudo ffdispatch doctor)"
                + (isShim ? "" : "; to use ffdispatch: " + install.ffmpegFix(ffmpeg, shim, root)));
        }
        if (isShim) {
            return Check.ok(name + ": ffmpeg", found + ": ffdispatch's shim");
        }
        return Check.fail(name + ": ffmpeg", found + ", not ffdispatch's shim " + shim + ": every job runs on this machine",
            install.ffmpegFix(ffmpeg, shim, root));
    }

    private Check tmpdir(String name, JellyfinProcess jellyfin, JellyfinInstall install) {
        if (jellyfin.environment() == null) {
            return Check.warn(name + ": TMPDIR", "pid " + jellyfin.pid() + "'s environment is not readable by this user",
                "run doctor as root or as Jellyfin's user (sudo ffdispatch doctor)");
        }
        Optional<String> tmpdir = jellyfin.variable("TMPDIR").filter(s -> !s.isEmpty());
        String dir = tmpdir.orElse("/tmp");
        tempDirs.add(Path.of(dir, "jellyfin"));
        if (LOCAL_TEMP.contains(Path.of(dir).normalize().toString())) {
            return Check.warn(name + ": TMPDIR", (tmpdir.isEmpty() ? "not set, so " : "TMPDIR=" + dir + ": ")
                + "Jellyfin writes image extractions and trickplay tiles to " + dir + "/jellyfin, which the workers do not see",
                install.tmpdirFix());
        }
        String[] mount = Filesystems.typeAndOptions(real(Path.of(dir)), Filesystems.procMounts());
        String where = mount == null ? "" : " (" + mount[0] + ")";
        return Check.ok(name + ": TMPDIR", "TMPDIR=" + dir + where + "; the workers must see it at the same path"
            + " (doctor checks " + dir + "/jellyfin on each worker once it exists)");
    }

    private static Path real(Path dir) {
        try {
            return dir.toRealPath();
        } catch (IOException e) {
            return dir;
        }
    }

    private static String describe(JellyfinInstall install) {
        return switch (install) {
            case DEBIAN -> "Debian/Ubuntu package";
            case OFFICIAL_IMAGE -> "jellyfin/jellyfin image";
            case LINUXSERVER -> "linuxserver.io image";
            case OTHER -> "started by hand or by another package";
        };
    }

    /**
     * Whether {@code path} is ffdispatch's shim: the configured one, or any path that resolves to a
     * file named ffdispatch-* (the launchers' names), as the packaged bin/ffmpeg link does.
     */
    boolean isShim(String path, JellyfinProcess jellyfin) {
        if (path.equals(shim)) {
            return true;
        }
        Optional<Path> file = locate(path, jellyfin);
        if (file.isEmpty()) {
            return false;
        }
        try {
            Path real = file.get().toRealPath();
            if (real.getFileName().toString().startsWith("ffdispatch")) {
                return true;
            }
            if (!shim.startsWith("/")) {
                return false;
            }
            Path ours = JellyfinFfmpeg.inRoot(root, Path.of(shim));
            return Files.exists(ours) && real.equals(ours.toRealPath());
        } catch (IOException e) {
            return false;
        }
    }

    /** The file Jellyfin would run: an absolute path as it is, a bare name searched on Jellyfin's PATH. */
    private Optional<Path> locate(String path, JellyfinProcess jellyfin) {
        if (path.startsWith("/")) {
            Path file = JellyfinFfmpeg.inRoot(root, Path.of(path));
            return Files.exists(file) ? Optional.of(file) : Optional.empty();
        }
        for (String dir : jellyfin.variable("PATH").orElse("/usr/local/bin:/usr/bin:/bin").split(":")) {
            if (dir.startsWith("/")) {
                Path file = JellyfinFfmpeg.inRoot(root, Path.of(dir, path));
                if (Files.isExecutable(file)) {
                    return Optional.of(file);
                }
            }
        }
        return Optional.empty();
    }
}
