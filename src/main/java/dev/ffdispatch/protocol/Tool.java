package dev.ffdispatch.protocol;

/** Which program Jellyfin believes it started. Chosen by {@code basename(argv[0])} only. */
public enum Tool {
    FFMPEG("ffmpeg"),
    FFPROBE("ffprobe");

    private final String command;

    Tool(String command) {
        this.command = command;
    }

    /** The program's usual name, as on a worker's PATH. */
    public String command() {
        return command;
    }

    /**
     * The tool named by the last path element of {@code argv0}: {@code ffprobe} (optionally with
     * an extension such as {@code .exe}) is ffprobe, anything else is ffmpeg, because Jellyfin
     * derives the ffprobe path from the ffmpeg path and never calls us by another name.
     */
    public static Tool fromArgv0(String argv0) {
        String base = argv0.substring(argv0.lastIndexOf('/') + 1);
        return base.equals("ffprobe") || base.startsWith("ffprobe.") ? FFPROBE : FFMPEG;
    }
}
