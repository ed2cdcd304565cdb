package dev.ffdispatch.posix;

/**
 * What an ffmpeg or ffprobe call run through ffdispatch exits with when it cannot give the job's
 * own code (the shim, the native client and the daemon share them). They come from sysexits.h and
 * avoid what ffmpeg returns (0, 1, 255) and signal deaths (128+N). Documented in docs/jellyfin.md;
 * change them only together with it.
 */
public final class JobExitCodes {
    /** The connection to the worker was lost while the job ran; the job's real result is unknown. */
    public static final int WORKER_LOST = 74;
    /** No worker could take the job and local fallback is disabled. */
    public static final int NO_HOST = 75;
    /** The shim and the daemon do not speak the same protocol (upgrade one of them), or the daemon failed. */
    public static final int PROTOCOL = 76;
    /** The daemon is shutting down and cancelled the job. */
    public static final int CANCELLED = 77;
    /** The ffmpeg program was not found (same as a shell's "command not found"). */
    public static final int NOT_FOUND = 127;
    /** Exit code of a process killed by signal {@code n} is {@code SIGNAL_BASE + n}. */
    public static final int SIGNAL_BASE = 128;

    private JobExitCodes() {
    }
}
