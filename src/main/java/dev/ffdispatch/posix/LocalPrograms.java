package dev.ffdispatch.posix;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Finds the real ffmpeg or ffprobe on this machine, never ffdispatch's own shim (a run of the
 * shim by itself would recurse). The shim's emergency local run, the daemon's local fallback and
 * the demo all search with {@link #find}, so there is one rule for "the real ffmpeg here".
 */
public final class LocalPrograms {
    /** Where the Jellyfin packages install their ffmpeg build. */
    public static final Path JELLYFIN_FFMPEG_DIR = Path.of("/usr/lib/jellyfin-ffmpeg");
    /** The launcher's real file name; bin/ffmpeg and bin/ffprobe are links to it. */
    static final String SHIM_SCRIPT = "ffdispatch-shim";
    /** Set by the launcher to its own real directory, so the search can skip the shim's links. */
    static final String SHIM_DIR_ENV = "FFDISPATCH_SHIM_DIR";

    private LocalPrograms() {
    }

    /** The environment variable that names the local program {@code command} (ffmpeg or ffprobe). */
    public static String envName(String command) {
        // No concatenation: the shim calls this, and each concatenation shape loads classes at start-up.
        return ProgramPaths.FFPROBE.equals(command) ? "FFDISPATCH_LOCAL_FFPROBE" : "FFDISPATCH_LOCAL_FFMPEG";
    }

    /**
     * The local program to run, or null when there is none: the {@link #envName} variable as
     * given, else {@code jellyfinDir/<command>} if executable, else the first {@code <command>} on
     * {@code PATH} that is not the shim (its real path is not in {@code FFDISPATCH_SHIM_DIR}, is
     * not the real path of {@code argv0}, and is not the launcher script itself).
     */
    public static String find(String command, Map<String, String> env, String argv0, Path jellyfinDir) {
        String configured = env.get(envName(command));
        if (configured != null && !configured.isEmpty()) {
            return configured;
        }
        List<Path> candidates = new ArrayList<>();
        candidates.add(jellyfinDir.resolve(command));
        String path = env.get("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator, -1)) {
                candidates.add(Path.of(dir.isEmpty() ? "." : dir, command));
            }
        }
        Path shimDir = realPath(env.get(SHIM_DIR_ENV));
        Path shim = argv0.indexOf('/') >= 0 ? realPath(argv0) : null;
        for (Path candidate : candidates) {
            Path real = realPath(candidate.toString());
            if (real == null || !Files.isRegularFile(real) || !Files.isExecutable(real)) {
                continue;
            }
            if (real.equals(shim) || (shimDir != null && shimDir.equals(real.getParent()))
                    || real.getFileName().toString().equals(SHIM_SCRIPT)) {
                continue;
            }
            return candidate.toAbsolutePath().toString();
        }
        return null;
    }

    private static Path realPath(String path) {
        if (path == null || path.isEmpty()) {
            return null;
        }
        try {
            return Path.of(path).toRealPath();
        } catch (IOException | InvalidPathException e) {
            return null;
        }
    }
}
