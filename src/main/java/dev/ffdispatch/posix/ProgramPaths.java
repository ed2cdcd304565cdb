package dev.ffdispatch.posix;

/**
 * Which ffmpeg and ffprobe a host runs, from what is configured for it. One rule for the daemon,
 * doctor, worker-setup, import-rffmpeg and {@code host show}: an ffprobe that is not configured is
 * the one beside the configured ffmpeg (the rule Jellyfin uses), so setting only ffmpeg is enough.
 */
public final class ProgramPaths {
    public static final String FFMPEG = "ffmpeg";
    public static final String FFPROBE = "ffprobe";

    private ProgramPaths() {
    }

    /** The ffmpeg to run: {@code configured}, or {@code ffmpeg} on the PATH when none is. */
    public static String ffmpeg(String configured) {
        return isSet(configured) ? configured : FFMPEG;
    }

    /**
     * The ffprobe to run: {@code configuredFfprobe}; else the ffprobe beside
     * {@code configuredFfmpeg}; else {@code ffprobe} on the PATH.
     */
    public static String ffprobe(String configuredFfprobe, String configuredFfmpeg) {
        if (isSet(configuredFfprobe)) {
            return configuredFfprobe;
        }
        String beside = ffprobeBeside(configuredFfmpeg);
        return beside != null ? beside : FFPROBE;
    }

    /** The ffprobe in {@code ffmpeg}'s directory, or null when {@code ffmpeg} names no directory. */
    public static String ffprobeBeside(String ffmpeg) {
        int slash = ffmpeg == null ? -1 : ffmpeg.lastIndexOf('/');
        return slash < 0 ? null : ffmpeg.substring(0, slash + 1) + FFPROBE;
    }

    private static boolean isSet(String path) {
        return path != null && !path.isBlank();
    }
}
