package dev.ffdispatch.exec;

import dev.ffdispatch.posix.FlushingOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs jobs on this machine (the fallback when no worker can take them), through the same
 * {@link RemoteCommand} script as workers get. The script is pure ASCII: a Java String passes
 * through the JVM's locale on its way to {@code execve}, which would mangle other bytes.
 *
 * <p>The shell execs the program, so the process Java started is ffmpeg itself: SIGTERM and
 * SIGKILL go straight to it, and a signal death reads as {@code 128+N}.
 */
public final class LocalExecutor implements Executor {
    private static final Logger log = LoggerFactory.getLogger(LocalExecutor.class);

    private final ScheduledExecutorService scheduler;
    private final Duration startTimeout;

    /**
     * @param scheduler runs the SIGKILL after a cancel's grace
     * @param startTimeout from process start to the PID line (the shell's {@code cd})
     */
    public LocalExecutor(ScheduledExecutorService scheduler, Duration startTimeout) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        if (startTimeout.isNegative() || startTimeout.isZero()) {
            throw new IllegalArgumentException("local start timeout (" + startTimeout + ") must be positive, such as 10s");
        }
        this.startTimeout = startTimeout;
    }

    @Override
    public RunningJob start(JobSpec spec, JobSink sink) throws NotStartedException {
        ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", RemoteCommand.build(spec, true));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new NotStartedException("could not start /bin/sh on this machine: " + e.getMessage(), e);
        }
        StartWatch watch = new StartWatch(sink);
        String name = "ffd-local-" + process.pid();
        CompletableFuture<Void> out = StreamPump.start(process.getInputStream(), watch.stdout(), name + "-stdout");
        CompletableFuture<Void> err = StreamPump.start(process.getErrorStream(), watch.stderr(), name + "-stderr");
        CompletableFuture<Integer> exit = CompletableFuture.allOf(out, err)
            .thenCompose(v -> process.onExit())
            .thenApply(Process::exitValue);
        long pid;
        try {
            pid = watch.awaitPid(exit, startTimeout, "this machine");
        } catch (NotStartedException e) {
            process.destroyForcibly();
            throw e;
        }
        log.debug("start(host=local program={}) pid={}", spec.program(), pid);
        return new LocalJob(process, pid, exit);
    }

    private final class LocalJob extends StartedJob {
        private final Process process;

        LocalJob(Process process, long pid, CompletableFuture<Integer> exit) {
            super(new FlushingOutputStream(process.getOutputStream(), true), pid, exit);
            this.process = process;
        }

        @Override
        void terminate(Duration grace) {
            log.info("cancel(host=local pid={}) grace={}", pid, grace);
            process.destroy();
            scheduler.schedule(() -> {
                if (process.isAlive()) {
                    log.info("cancel(host=local pid={}) still alive after {}, SIGKILL", pid, grace);
                    process.destroyForcibly();
                }
            }, grace.toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
