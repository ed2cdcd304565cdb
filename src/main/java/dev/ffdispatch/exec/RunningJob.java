package dev.ffdispatch.exec;

import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** A started job: its stdin, its PID on the target, its exit, and a way to end it. */
public interface RunningJob {

    /** The job's stdin; bytes written are flushed to the process at once; close() is EOF. */
    OutputStream stdin();

    /** PID of the ffmpeg process on the target (the remote command reports it before exec). */
    long pid();

    /**
     * Completes with the exit code once the process has ended and all of its output has been
     * written to the sink: the remote code unchanged, {@code 128+N} for signal N, or
     * {@link dev.ffdispatch.posix.JobExitCodes#WORKER_LOST} when the connection died first.
     */
    CompletableFuture<Integer> exit();

    /**
     * Ends the process: SIGTERM, then SIGKILL when it is still alive after {@code grace}.
     * Idempotent; returns at once (the ending happens in the background, {@link #exit()} tells).
     */
    void cancel(Duration grace);
}
