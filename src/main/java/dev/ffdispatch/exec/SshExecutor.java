package dev.ffdispatch.exec;

import dev.ffdispatch.posix.JobExitCodes;
import dev.ffdispatch.ssh.CommandResult;
import dev.ffdispatch.ssh.RemoteChannel;
import dev.ffdispatch.ssh.RemoteCommandRunner;
import dev.ffdispatch.ssh.RemoteExit;
import dev.ffdispatch.ssh.SshChannels;
import dev.ffdispatch.ssh.SshTarget;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs jobs on one worker over SSH: one exec channel per job running the {@link RemoteCommand}
 * script, arguments and working directory path-mapped for that worker.
 *
 * <p>Stopping a job is a separate {@code kill} command for the PID the script reported, because
 * closing the channel does not stop ffmpeg (it ignores SIGPIPE), and the SSH {@code signal}
 * request only works for non-root logins.
 */
public final class SshExecutor implements Executor {
    private static final Logger log = LoggerFactory.getLogger(SshExecutor.class);
    /** A job whose start timed out keeps its channel this long, so a late PID can still be killed. */
    private static final Duration ABANDON_AFTER = Duration.ofMinutes(1);

    private final SshChannels channels;
    private final RemoteCommandRunner runner;
    private final SshTarget target;
    private final PathMapper paths;
    private final ScheduledExecutorService scheduler;
    private final Timeouts timeouts;

    /**
     * Time limits of one worker's jobs.
     *
     * @param open getting a session (connect and auth when none is pooled) and opening the channel
     * @param start from the open channel to the PID line (the worker's shell start-up, the {@code cd})
     * @param command one {@code kill} command, round trip
     */
    public record Timeouts(Duration open, Duration start, Duration command) {
        public Timeouts {
            requirePositive("open", open);
            requirePositive("start", start);
            requirePositive("command", command);
        }

        private static void requirePositive(String name, Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("ssh executor timeout " + name + " (" + d + ") must be positive, such as 10s");
            }
        }
    }

    public SshExecutor(SshChannels channels, RemoteCommandRunner runner, SshTarget target, PathMapper paths,
                       ScheduledExecutorService scheduler, Timeouts timeouts) {
        this.channels = Objects.requireNonNull(channels, "channels");
        this.runner = Objects.requireNonNull(runner, "runner");
        this.target = Objects.requireNonNull(target, "target");
        this.paths = Objects.requireNonNull(paths, "paths");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
    }

    @Override
    public RunningJob start(JobSpec spec, JobSink sink) throws NotStartedException {
        String command = RemoteCommand.build(paths.map(spec), false);
        StartWatch watch = new StartWatch(sink);
        RemoteChannel channel;
        try {
            channel = channels.open(target, command, watch.stdout(), watch.stderr(), timeouts.open());
        } catch (IOException e) {
            throw new NotStartedException("could not open an SSH channel to host " + target.name() + " ("
                + target.login() + "): " + e.getMessage(), e);
        }
        CompletableFuture<Integer> exit = channel.exit().handle(SshExecutor::exitCode);
        long pid;
        try {
            pid = watch.awaitPid(exit, timeouts.start(), "host " + target.name());
        } catch (NotStartedException e) {
            abandon(channel, watch, exit);
            throw e;
        }
        exit.whenComplete((code, err) -> {
            channel.close();
            log.debug("exit(host={} pid={}) code={}", target.name(), pid, code);
        });
        log.debug("start(host={} program={}) pid={}", target.name(), spec.program(), pid);
        return new SshJob(channel.stdin(), pid, exit);
    }

    private static int exitCode(RemoteExit remote, Throwable failure) {
        return failure == null ? remote.exitCode() : JobExitCodes.WORKER_LOST;
    }

    /**
     * The start failed: close the channel once nothing more can come of it. If the PID line
     * still arrives (the start was only slow), that process is ours and is killed, so a job the
     * caller retries elsewhere never runs twice.
     */
    private void abandon(RemoteChannel channel, StartWatch watch, CompletableFuture<Integer> exit) {
        exit.whenComplete((code, err) -> channel.close());
        watch.pid().thenAccept(late -> scheduler.execute(() -> {
            log.warn("start(host={}) pid={} reported after the start timeout; killing it", target.name(), late);
            runKill("KILL", late);
            channel.close();
        }));
        scheduler.schedule(channel::close, ABANDON_AFTER.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void runKill(String signal, long pid) {
        try {
            CommandResult result = runner.run(target, "kill -" + signal + " " + pid, timeouts.command());
            log.debug("kill(host={} pid={} signal={}) exit={}", target.name(), pid, signal, result.exitCode());
        } catch (IOException e) {
            log.warn("kill(host={} pid={} signal={}) failed: {}", target.name(), pid, signal, e.toString());
        } catch (RuntimeException e) {
            // Runs on the shared scheduler: one bad kill must not take the scheduler's thread down.
            log.warn("kill(host={} pid={} signal={}) failed", target.name(), pid, signal, e);
        }
    }

    /**
     * A shell command for a worker that ends {@code pid} only if it still is an ffmpeg or
     * ffprobe process (so a PID reused since a crash is left alone): TERM, up to 2 s to exit,
     * then KILL. Prints {@code absent}, {@code terminated} or {@code killed}. Linux and macOS
     * ({@code ps -o comm=} is the full path on macOS, the bare name on Linux).
     */
    public static String reapCommand(long pid) {
        if (pid <= 1) {
            throw new IllegalArgumentException("pid (" + pid + ") must be a process id above 1");
        }
        return "p=" + pid + "; ff() { case \"$(ps -o comm= -p $p 2>/dev/null)\" in"
            + " ffmpeg|ffprobe|*/ffmpeg|*/ffprobe) return 0;; esac; return 1; };"
            + " if ! ff; then echo absent; exit 0; fi; kill -TERM $p; n=0;"
            + " while [ $n -lt 20 ] && ff; do sleep 0.1; n=$((n+1)); done;"
            + " if ff; then kill -KILL $p; echo killed; else echo terminated; fi";
    }

    @Override
    public String toString() {
        return "SshExecutor[host=" + target.name() + " " + paths + "]";
    }

    private final class SshJob extends StartedJob {
        SshJob(OutputStream stdin, long pid, CompletableFuture<Integer> exit) {
            super(stdin, pid, exit);
        }

        @Override
        void terminate(Duration grace) {
            log.info("cancel(host={} pid={}) grace={}", target.name(), pid, grace);
            scheduler.execute(() -> signal("TERM"));
            scheduler.schedule(() -> signal("KILL"), grace.toMillis(), TimeUnit.MILLISECONDS);
        }

        /** Only while the job's exit is unknown: after it, the PID may belong to someone else. */
        private void signal(String name) {
            if (!exit.isDone()) {
                runKill(name, pid);
            }
        }
    }
}
