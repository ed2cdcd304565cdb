package dev.ffdispatch.exec;

import dev.ffdispatch.posix.JobExitCodes;
import dev.ffdispatch.ssh.Reasons;
import dev.ffdispatch.ssh.RemoteChannel;
import dev.ffdispatch.ssh.RemoteExit;
import dev.ffdispatch.ssh.SshChannels;
import dev.ffdispatch.ssh.SshTarget;
import dev.ffdispatch.ssh.WorkerLink;
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
 * <p>Stopping a job is a kill request over the worker's link for the PID the script reported
 * (sent only while that PID still runs the job's program), because closing the channel does not
 * stop ffmpeg (it ignores SIGPIPE), and the SSH {@code signal} request only works for non-root
 * logins.
 */
public final class SshExecutor implements Executor {
    private static final Logger log = LoggerFactory.getLogger(SshExecutor.class);
    /** A job whose start timed out keeps its channel this long, so a late PID can still be killed. */
    private static final Duration ABANDON_AFTER = Duration.ofMinutes(1);

    private final SshChannels channels;
    private final WorkerLink link;
    private final SshTarget target;
    private final PathMapper paths;
    private final ScheduledExecutorService scheduler;
    private final Timeouts timeouts;

    /**
     * Time limits of one worker's jobs.
     *
     * @param open getting a session (connect and auth when none is pooled) and opening the channel
     * @param start from the open channel to the PID line (the worker's login shell start-up, the
     *     {@code cd}): {@code ssh.login_shell_timeout}
     * @param command one kill request, round trip
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

    public SshExecutor(SshChannels channels, WorkerLink link, SshTarget target, PathMapper paths,
                       ScheduledExecutorService scheduler, Timeouts timeouts) {
        this.channels = Objects.requireNonNull(channels, "channels");
        this.link = Objects.requireNonNull(link, "link");
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
                + target.login() + "): " + Reasons.of(e), e);
        }
        CompletableFuture<Integer> exit = channel.exit().handle(SshExecutor::exitCode);
        long pid;
        String name = programName(spec.program());
        try {
            pid = watch.awaitPid(exit, timeouts.start(), "host " + target.name());
        } catch (NotStartedException e) {
            abandon(channel, watch, exit, name);
            throw e;
        }
        exit.whenComplete((code, err) -> {
            channel.close();
            log.debug("exit(host={} pid={}) code={}", target.name(), pid, code);
        });
        log.debug("start(host={} program={}) pid={}", target.name(), spec.program(), pid);
        return new SshJob(channel.stdin(), pid, exit, name);
    }

    private static int exitCode(RemoteExit remote, Throwable failure) {
        return failure == null ? remote.exitCode() : JobExitCodes.WORKER_LOST;
    }

    /**
     * The start failed: close the channel once nothing more can come of it. If the PID line
     * still arrives (the start was only slow), that process is ours and is killed, so a job the
     * caller retries elsewhere never runs twice.
     */
    private void abandon(RemoteChannel channel, StartWatch watch, CompletableFuture<Integer> exit, String name) {
        exit.whenComplete((code, err) -> channel.close());
        watch.pid().thenAccept(late -> scheduler.execute(() -> {
            log.warn("start(host={}) pid={} reported after the start timeout; killing it", target.name(), late);
            runKill("KILL", late, name);
            channel.close();
        }));
        scheduler.schedule(channel::close, ABANDON_AFTER.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void runKill(String signal, long pid, String name) {
        try {
            String result = link.kill(target, pid, signal, name, timeouts.command());
            log.debug("kill(host={} pid={} signal={}) {}", target.name(), pid, signal, result);
        } catch (IOException e) {
            log.warn("kill(host={} pid={} signal={}) failed: {}", target.name(), pid, signal, Reasons.of(e));
        } catch (RuntimeException e) {
            // Runs on the shared scheduler: one bad kill must not take the scheduler's thread down.
            log.warn("kill(host={} pid={} signal={}) failed", target.name(), pid, signal, e);
        }
    }

    /** The name the job's process has once the script exec'd the program: the last path element. */
    private static String programName(String program) {
        int slash = program.lastIndexOf('/');
        return slash < 0 ? program : program.substring(slash + 1);
    }

    @Override
    public String toString() {
        return "SshExecutor[host=" + target.name() + " " + paths + "]";
    }

    private final class SshJob extends StartedJob {
        private final String name;

        SshJob(OutputStream stdin, long pid, CompletableFuture<Integer> exit, String name) {
            super(stdin, pid, exit);
            this.name = name;
        }

        @Override
        void terminate(Duration grace) {
            log.info("cancel(host={} pid={}) grace={}", target.name(), pid, grace);
            scheduler.execute(() -> signal("TERM"));
            scheduler.schedule(() -> signal("KILL"), grace.toMillis(), TimeUnit.MILLISECONDS);
        }

        /** Only while the job's exit is unknown: after it, the PID may belong to someone else. */
        private void signal(String signal) {
            if (!exit.isDone()) {
                runKill(signal, pid, name);
            }
        }
    }
}
