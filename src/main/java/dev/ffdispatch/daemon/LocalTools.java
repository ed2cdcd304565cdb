package dev.ffdispatch.daemon;

import dev.ffdispatch.posix.LocalPrograms;
import dev.ffdispatch.posix.ProgramPaths;
import dev.ffdispatch.protocol.Tool;
import java.util.EnumMap;
import java.util.Map;

/**
 * Where this machine's own ffmpeg and ffprobe are, for local fallback. A configured path wins;
 * otherwise jellyfin-ffmpeg's standard location, then the PATH, skipping ffdispatch's own shim
 * (a fallback into ourselves would recurse forever).
 */
final class LocalTools {

    private final Map<Tool, String> paths = new EnumMap<>(Tool.class);

    LocalTools(String ffmpeg, String ffprobe, String pathVariable) {
        paths.put(Tool.FFMPEG, resolve(Tool.FFMPEG, ffmpeg, pathVariable));
        String probe = ffprobe == null || ffprobe.isBlank() ? ProgramPaths.ffprobeBeside(ffmpeg) : ffprobe;
        paths.put(Tool.FFPROBE, resolve(Tool.FFPROBE, probe, pathVariable));
    }

    /** The program to run; a bare name when nothing was found (the run then fails with 127 and says so). */
    String path(Tool tool) {
        return paths.get(tool);
    }

    private static String resolve(Tool tool, String configured, String pathVariable) {
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        Map<String, String> env = pathVariable == null ? Map.of() : Map.of("PATH", pathVariable);
        String found = LocalPrograms.find(tool.command(), env, tool.command(), LocalPrograms.JELLYFIN_FFMPEG_DIR);
        return found == null ? tool.command() : found;
    }
}
