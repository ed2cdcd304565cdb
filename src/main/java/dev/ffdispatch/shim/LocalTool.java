package dev.ffdispatch.shim;

import dev.ffdispatch.posix.PosixShell;
import dev.ffdispatch.protocol.Tool;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The emergency local run when the daemon is unreachable: finds the real ffmpeg/ffprobe on this
 * machine, never the shim itself, and runs it with the exact argument bytes and inherited stdio.
 * The daemon's local fallback and the demo find their ffmpeg with {@link #find} too, so there is
 * one rule for "the real ffmpeg here".
 */
public final class LocalTool {
    /** Where the Jellyfin packages install their ffmpeg build. */
    public static final Path JELLYFIN_FFMPEG_DIR = Path.of("/usr/lib/jellyfin-ffmpeg");
    /** The launcher's real file name; bin/ffmpeg and bin/ffprobe are links to it. */
    static final String SHIM_SCRIPT = "ffdispatch-shim";
    /** Set by the launcher to its own real directory, so the search can skip the shim's links. */
    static final String SHIM_DIR_ENV = "FFDISPATCH_SHIM_DIR";
    /**
     * Set in the local child's environment. Seeing it when the daemon is unreachable means a
     * local run started the shim again (a copy of the launcher on PATH): stop instead of looping.
     */
    static final String LOCAL_RUN_ENV = "FFDISPATCH_LOCAL_RUN";

    private LocalTool() {
    }

    /** The environment variable that names the local program for {@code tool}. */
    static String envName(Tool tool) {
        return tool == Tool.FFPROBE ? "FFDISPATCH_LOCAL_FFPROBE" : "FFDISPATCH_LOCAL_FFMPEG";
    }

    /**
     * The local program to run, or null when there is none: the {@link #envName} variable as
     * given, else {@code jellyfinDir/<tool>} if executable, else the first {@code <tool>} on
     * {@code PATH} that is not the shim (its real path is not in {@code FFDISPATCH_SHIM_DIR}, is
     * not the real path of {@code argv0}, and is not the launcher script itself).
     */
    public static String find(Tool tool, Map<String, String> env, String argv0, Path jellyfinDir) {
        String configured = env.get(envName(tool));
        if (configured != null && !configured.isEmpty()) {
            return configured;
        }
        List<Path> candidates = new ArrayList<>();
        candidates.add(jellyfinDir.resolve(tool.command()));
        String path = env.get("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator, -1)) {
                candidates.add(Path.of(dir.isEmpty() ? "." : dir, tool.command()));
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

    /**
     * Runs {@code program} with {@code args} through {@code /bin/sh -c 'exec ...'}: the words are
     * pure ASCII (octal printf for other bytes), so the JVM's locale cannot alter them. Returns the
     * program's exit code; Java already reports a signal death as 128+N.
     */
    static int run(String program, List<byte[]> args) throws IOException, InterruptedException {
        List<byte[]> words = new ArrayList<>(args.size() + 1);
        words.add(program.getBytes(StandardCharsets.UTF_8));
        words.addAll(args);
        ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", PosixShell.command("exec", words, true));
        builder.environment().put(LOCAL_RUN_ENV, program);
        return builder.inheritIO().start().waitFor();
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
