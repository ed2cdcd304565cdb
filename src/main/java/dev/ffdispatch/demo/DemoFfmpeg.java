package dev.ffdispatch.demo;

import dev.ffdispatch.posix.LocalPrograms;
import dev.ffdispatch.posix.ProgramPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Finds a real ffmpeg for the demo: the system's (Debian's package, Jellyfin's build), else the
 * statically linked build from Maven Central ({@link StaticFfmpeg}), which runs on a machine
 * where ffmpeg was never installed. Whichever it is, it must answer {@code -version} first.
 */
final class DemoFfmpeg {
    private static final long RUN_TIMEOUT_SECONDS = 60;

    private DemoFfmpeg() {
    }

    /**
     * The ffmpeg to use: the system's when there is one, else the cached or freshly fetched static
     * build. Either way it is run once ({@code -version}) so a program that cannot start is
     * reported here, with the fix, instead of as a failed clip later.
     *
     * @param scratch a directory for the download, deleted with the demo's files
     */
    static Path locate(Map<String, String> env, Path scratch) throws DemoException, InterruptedException {
        // The same search the shim's and the daemon's local runs use: never ffdispatch's own shim.
        String system = LocalPrograms.find(ProgramPaths.FFMPEG, env, "", LocalPrograms.JELLYFIN_FFMPEG_DIR);
        if (system != null) {
            Path ffmpeg = Path.of(system);
            requireRuns(ffmpeg, "the system's ffmpeg", scratch);
            return ffmpeg;
        }
        Path cached = StaticFfmpeg.installed(env, scratch);
        requireRuns(cached, "the static ffmpeg build", scratch);
        return cached;
    }

    /** Runs {@code ffmpeg -version}; a program that cannot start (a missing library: exit 127) is named with the fix. */
    private static void requireRuns(Path ffmpeg, String what, Path scratch) throws DemoException, InterruptedException {
        String problem;
        try {
            Files.createDirectories(scratch);
            Path output = Files.createTempFile(scratch, "ffmpeg-version", ".txt");
            Process p = new ProcessBuilder(ffmpeg.toString(), "-hide_banner", "-version").redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
            p.getOutputStream().close();
            if (!p.waitFor(RUN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                problem = "did not answer -version within " + RUN_TIMEOUT_SECONDS + " s";
            } else if (p.exitValue() == 0) {
                return;
            } else {
                problem = "exits with " + p.exitValue() + ": "
                    + Files.readString(output, StandardCharsets.ISO_8859_1).strip().lines().findFirst().orElse("(no output)");
            }
        } catch (IOException e) {
            problem = "cannot start: " + e.getMessage();
        }
        throw new DemoException(what + " (" + ffmpeg + ") " + problem + "; install a working ffmpeg"
            + " (Debian: apt-get install ffmpeg) and run the demo again");
    }
}
