package dev.ffdispatch.doctor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * How Jellyfin was installed, which decides where its ffmpeg path and TMPDIR are set:
 * <ul>
 * <li>the Debian/Ubuntu package: {@code /etc/default/jellyfin} sets
 *     {@code JELLYFIN_FFMPEG_OPT="--ffmpeg=..."}, which jellyfin.service puts on the command line;</li>
 * <li>the official {@code jellyfin/jellyfin} image: {@code /jellyfin/jellyfin}, path from {@code JELLYFIN_FFMPEG};</li>
 * <li>the linuxserver.io image: its s6 service {@code svc-jellyfin} runs
 *     {@code jellyfin --ffmpeg="$FFMPEG_PATH"} (jellyfin-ffmpeg when FFMPEG_PATH is unset or not a file);</li>
 * <li>anything else: the command line or environment the user chose.</li>
 * </ul>
 */
public enum JellyfinInstall {
    DEBIAN, OFFICIAL_IMAGE, LINUXSERVER, OTHER;

    /** The Debian package's defaults file. */
    public static final Path DEFAULTS = Path.of("/etc/default/jellyfin");
    /** linuxserver.io's s6 service that starts Jellyfin. */
    static final Path LINUXSERVER_SERVICE = Path.of("/etc/s6-overlay/s6-rc.d/svc-jellyfin/run");
    /** Where ffdispatch's linuxserver.io mod is: the variable it sets is the one to change. */
    static final Path FFDISPATCH_MOD = Path.of("/etc/s6-overlay/s6-rc.d/svc-mod-jellyfin-ffdispatch");

    /** linuxserver.io installs the Debian package too, so its marker is checked first. */
    public static JellyfinInstall of(JellyfinProcess jellyfin, Path root) {
        if (Files.exists(JellyfinFfmpeg.inRoot(root, LINUXSERVER_SERVICE))) {
            return LINUXSERVER;
        }
        if (jellyfin.program().startsWith("/jellyfin/")) {
            return OFFICIAL_IMAGE;
        }
        if (Files.isRegularFile(JellyfinFfmpeg.inRoot(root, DEFAULTS))) {
            return DEBIAN;
        }
        return OTHER;
    }

    /** What to change so that Jellyfin runs {@code shim}, given where its path comes from now. */
    public String ffmpegFix(JellyfinFfmpeg now, String shim, Path root) {
        return switch (this) {
            case DEBIAN -> defaultsLine(root, "JELLYFIN_FFMPEG_OPT", "JELLYFIN_FFMPEG_OPT=\"--ffmpeg=" + shim + "\"")
                + ", then: sudo systemctl restart jellyfin";
            case OFFICIAL_IMAGE -> now.source() == JellyfinFfmpeg.Source.OPTION
                ? "remove --ffmpeg from the container's command (it wins over JELLYFIN_FFMPEG), or make it --ffmpeg=" + shim
                : "set JELLYFIN_FFMPEG=" + shim + " in the container's environment (the jellyfin-ffdispatch image does),"
                    + " then recreate the container";
            case LINUXSERVER -> Files.isDirectory(JellyfinFfmpeg.inRoot(root, FFDISPATCH_MOD))
                ? "remove FFMPEG_PATH from the container's environment (the ffdispatch mod then sets it), or set FFMPEG_PATH="
                    + shim + "; then recreate the container"
                : "add the ffdispatch mod (DOCKER_MODS, see docs/jellyfin.md), or set FFMPEG_PATH=" + shim
                    + " in the container's environment; then recreate the container";
            case OTHER -> switch (now.source()) {
                case OPTION -> "start Jellyfin with --ffmpeg=" + shim + " instead of --ffmpeg=" + now.path();
                case ENVIRONMENT -> "set JELLYFIN_FFMPEG=" + shim + " in Jellyfin's environment and restart it";
                default -> "start Jellyfin with --ffmpeg=" + shim + " (or JELLYFIN_FFMPEG=" + shim
                    + " in its environment); since 10.8.13 the dashboard cannot change the path";
            };
        };
    }

    /** What to set so that Jellyfin's temporary files ($TMPDIR/jellyfin) are on storage the workers share. */
    public String tmpdirFix() {
        return switch (this) {
            case DEBIAN -> defaultsHint("TMPDIR=\"/var/cache/jellyfin/temp\"") + " (under the directory the workers mount),"
                + " then: sudo systemctl restart jellyfin";
            case OFFICIAL_IMAGE -> "set TMPDIR=/cache/tmp in the container's environment (on the /cache volume the workers"
                + " share), then recreate the container";
            case LINUXSERVER -> "set TMPDIR=/config/cache/tmp in the container's environment (on storage the workers share),"
                + " then recreate the container";
            case OTHER -> "set TMPDIR in Jellyfin's environment to a directory the workers mount at the same path";
        };
    }

    private static String defaultsHint(String line) {
        return "in " + DEFAULTS + " add: " + line;
    }

    /**
     * The exact line to change in /etc/default/jellyfin: {@code file:line: old -> new} when the
     * variable is there, else the line to add.
     */
    static String defaultsLine(Path root, String variable, String wanted) {
        try {
            List<String> lines = Files.readAllLines(JellyfinFfmpeg.inRoot(root, DEFAULTS), StandardCharsets.UTF_8);
            for (int i = lines.size() - 1; i >= 0; i--) { // the shell keeps the last assignment
                if (lines.get(i).strip().startsWith(variable + "=")) {
                    return "in " + DEFAULTS + " change line " + (i + 1) + " from " + lines.get(i).strip() + " to " + wanted;
                }
            }
        } catch (IOException e) {
            // unreadable: say which line to add
        }
        return defaultsHint(wanted);
    }
}
