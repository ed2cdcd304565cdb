package dev.ffdispatch.ssh;

/** Shell commands ffdispatch runs on workers, in one place (they must work on Linux and macOS). */
public final class WorkerCommands {
    /**
     * Counts running processes named exactly {@code ffmpeg}. {@code pgrep -c} does not exist on
     * macOS, so count lines instead; pgrep exits 1 on no match, wc still prints 0.
     */
    public static final String FFMPEG_COUNT = "pgrep -x ffmpeg | wc -l";

    private WorkerCommands() {
    }
}
