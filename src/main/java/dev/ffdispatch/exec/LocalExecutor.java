package dev.ffdispatch.exec;

import dev.ffdispatch.posix.FlushingOutputStream;
import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs jobs on this machine (the fallback when no worker can take them, and routed jobs). The
 * program is exec'd directly when the JVM passes its bytes unchanged ({@link DirectLaunch}):
 * the PID is known at once and nothing else starts. Otherwise the job goes through the same
 * {@link RemoteCommand} script as workers get, in pure ASCII (a Java String passes through the
 * JVM's locale on its way to {@code execve}, which would mangle other bytes), and is started
 * once the script reports its PID.
 *
 * <p>Either way the process Java started is the program itself (the shell execs it): SIGTERM
 * and SIGKILL go straight to it, and a signal death reads as {@code 128+N}.
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
        ProcessBuilder direct = DirectLaunch.builder(spec);
        return direct != null ? startDirect(spec, direct, sink) : startThroughShell(spec, sink);
    }

    /** Nothing can fail between exec and the program itself: the job has started once start() returns. */
    private RunningJob startDirect(JobSpec spec, ProcessBuilder builder, JobSink sink) throws NotStartedException {
        File dir = builder.directory();
        if (dir != null && !dir.isDirectory()) {
            throw new NotStartedException("the working directory " + dir + " does not exist on this machine");
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new NotStartedException("could not start " + spec.program() + " on this machine"
                + (dir == null ? "" : " in working directory " + dir) + ": " + e.getMessage(), e);
        }
        String name = "ffd-local-" + process.pid();
        CompletableFuture<Void> out = StreamPump.start(process.getInputStream(), sink.stdout(), name + "-stdout");
        CompletableFuture<Void> err = StreamPump.start(process.getErrorStream(), sink.stderr(), name + "-stderr");
        log.debug("start(host=local program={}) pid={} direct", spec.program(), process.pid());
        return new LocalJob(process, process.pid(), exitAfter(out, err, process));
    }

    private RunningJob startThroughShell(JobSpec spec, JobSink sink) throws NotStartedException {
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
        CompletableFuture<Integer> exit = exitAfter(out, err, process);
        long pid;
        try {
            pid = watch.awaitPid(exit, startTimeout, "this machine");
        } catch (NotStartedException e) {
            process.destroyForcibly();
            throw e;
        }
        log.debug("start(host=local program={}) pid={} through sh", spec.program(), pid);
        return new LocalJob(process, pid, exit);
    }

    /**
     * The exit code once both output streams have ended, all of it written to the sink. The last
     * pump to finish collects the code itself: no thread hop between the program's end and the
     * EXIT frame.
     */
    private static CompletableFuture<Integer> exitAfter(CompletableFuture<Void> out, CompletableFuture<Void> err,
                                                        Process process) {
        return CompletableFuture.allOf(out, err).thenApply(v -> exitCode(process));
    }

    private static int exitCode(Process process) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return process.waitFor();
                } catch (InterruptedException e) {
                    interrupted = true; // a pump thread is never interrupted on purpose; the code is still owed
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
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
