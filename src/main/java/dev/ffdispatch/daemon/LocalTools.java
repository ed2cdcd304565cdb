package dev.ffdispatch.daemon;

import dev.ffdispatch.protocol.Tool;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/**
 * Where this machine's own ffmpeg and ffprobe are, for local fallback. A configured path wins;
 * otherwise jellyfin-ffmpeg's standard location, then the PATH, skipping ffdispatch's own shim
 * (a fallback into ourselves would recurse forever).
 */
final class LocalTools {
    static final String JELLYFIN_FFMPEG_DIR = "/usr/lib/jellyfin-ffmpeg";
    private static final String SHIM_SCRIPT = "ffdispatch-shim";

    private final Map<Tool, String> paths = new EnumMap<>(Tool.class);

    LocalTools(String ffmpeg, String ffprobe, String pathVariable) {
        paths.put(Tool.FFMPEG, resolve(Tool.FFMPEG, ffmpeg, pathVariable));
        String probe = ffprobe;
        if ((probe == null || probe.isBlank()) && ffmpeg != null && ffmpeg.contains("/")) {
            probe = ffmpeg.substring(0, ffmpeg.lastIndexOf('/') + 1) + "ffprobe";
        }
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
        Path jellyfin = Path.of(JELLYFIN_FFMPEG_DIR, tool.command());
        if (Files.isExecutable(jellyfin)) {
            return jellyfin.toString();
        }
        if (pathVariable != null) {
            for (String dir : pathVariable.split(File.pathSeparator)) {
                Path candidate = Path.of(dir.isEmpty() ? "." : dir, tool.command());
                if (Files.isExecutable(candidate) && !isShim(candidate)) {
                    return candidate.toString();
                }
            }
        }
        return tool.command();
    }

    static boolean isShim(Path candidate) {
        try {
            return candidate.toRealPath().getFileName().toString().equals(SHIM_SCRIPT);
        } catch (IOException e) {
            return false;
        }
    }
}
