package dev.ffdispatch.exec;

import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What every started job has: stdin, PID and exit. Cancelling happens at most once and never
 * after the exit is known, because the PID may then belong to another process.
 */
abstract class StartedJob implements RunningJob {
    final long pid;
    final CompletableFuture<Integer> exit;
    private final OutputStream stdin;
    private final AtomicBoolean cancelled = new AtomicBoolean();

    StartedJob(OutputStream stdin, long pid, CompletableFuture<Integer> exit) {
        this.stdin = stdin;
        this.pid = pid;
        this.exit = exit;
    }

    @Override
    public final OutputStream stdin() {
        return stdin;
    }

    @Override
    public final long pid() {
        return pid;
    }

    @Override
    public final CompletableFuture<Integer> exit() {
        return exit;
    }

    @Override
    public final void cancel(Duration grace) {
        if (exit.isDone() || !cancelled.compareAndSet(false, true)) {
            return;
        }
        terminate(grace);
    }

    /** SIGTERM now, SIGKILL after {@code grace} if the job is still running; must not block. */
    abstract void terminate(Duration grace);
}
