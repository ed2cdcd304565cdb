package dev.ffdispatch.daemon;

import dev.ffdispatch.caps.ProbeAnswer;
import dev.ffdispatch.exec.JobSink;
import dev.ffdispatch.exec.RunningJob;
import dev.ffdispatch.posix.JobExitCodes;
import dev.ffdispatch.protocol.Frame;
import dev.ffdispatch.protocol.FrameType;
import dev.ffdispatch.protocol.JobRequest;
import dev.ffdispatch.protocol.ProtocolException;
import dev.ffdispatch.store.JobState;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One shim connection running one job, from request to exit frame. The connection's reader
 * (this thread) relays stdin; when the shim disappears without having closed stdin cleanly
 * (Jellyfin SIGKILLs it after 'q' and 5 s), the job is cancelled: TERM, then KILL after the
 * grace. Closing the SSH channel alone would leave ffmpeg running on the worker.
 */
final class JobSession {
    private static final Logger LOG = LoggerFactory.getLogger(JobSession.class);
    /** How long a shim may keep the connection of an answered probe open after its exit frame. */
    static final Duration ANSWER_LINGER = Duration.ofSeconds(2);

    private final ShimConnection shim;
    private final Dispatcher dispatcher;
    private final JobLedger ledger;
    private final Duration killGrace;
    private final BiConsumer<String, Long> orphans;

    /** @param orphans told (host, pid) of remote jobs given up as lost, to end them when the host is back */
    JobSession(ShimConnection shim, Dispatcher dispatcher, JobLedger ledger, Duration killGrace,
               BiConsumer<String, Long> orphans) {
        this.orphans = orphans;
        this.shim = shim;
        this.dispatcher = dispatcher;
        this.ledger = ledger;
        this.killGrace = killGrace;
    }

    /** Runs the job described by the connection's first frame; returns when it has ended. */
    void run(Frame first) {
        try {
            runChecked(first);
        } catch (RuntimeException e) {
            // Whatever failed, the shim gets an exit code instead of a closed connection.
            LOG.error("job failed inside the daemon", e);
            finishWithError(JobExitCodes.PROTOCOL, "the daemon failed on this job (" + e + "); its log has the details");
        }
    }

    private void runChecked(Frame first) {
        Instant requested = ledger.clock().instant();
        JobRequest request;
        try {
            request = JobRequest.fromFrame(first);
        } catch (ProtocolException e) {
            LOG.warn("job refused, bad request: {}", e.getMessage());
            finishWithError(JobExitCodes.PROTOCOL, "the daemon refused the request: " + e.getMessage());
            return;
        }
        Dispatcher.Plan plan = dispatcher.plan(request);
        ProbeAnswer answer = dispatcher.answer(plan);
        if (answer != null) {
            answered(answer);
            return;
        }
        JobSink sink = new JobSink(shim.stream(FrameType.STDOUT), shim.stream(FrameType.STDERR));
        Dispatcher.Started started;
        try {
            started = dispatcher.start(plan, sink);
        } catch (Dispatcher.DispatchException e) {
            LOG.warn("job not started: {}", e.getMessage());
            finishWithError(e.exitCode, e.getMessage());
            return;
        }
        LiveJob live;
        try {
            ledger.metrics().dispatchLatency(Duration.between(requested, ledger.clock().instant()));
            if (started.fallback() != null) {
                ledger.metrics().fallback(started.fallback().metric);
            }
            live = ledger.begin(request.tool(), started.host(), plan.commandLine(), started.fallbackReason());
        } catch (RuntimeException e) {
            // Started but not followed: end it and give the slot back before the shim hears of it.
            started.job().cancel(killGrace);
            started.release();
            throw e;
        }
        try {
            tagLogs(live);
            follow(live, started);
        } finally {
            MDC.remove(Daemon.MDC_JOB);
            MDC.remove(Daemon.MDC_HOST);
        }
    }

    /**
     * Every log line about this job on this thread carries {@code job} and {@code host} (the log
     * format prints them), so an admin can grep one job's story out of a busy log.
     */
    private static void tagLogs(LiveJob live) {
        MDC.put(Daemon.MDC_JOB, String.valueOf(live.number));
        MDC.put(Daemon.MDC_HOST, live.host);
    }

    private void follow(LiveJob live, Dispatcher.Started started) {
        live.job = started.job();
        ledger.pid(live, started.job().pid());
        LOG.info("job(id={} host={}) started tool={} pid={}{}", live.number, started.host(), live.tool.command(),
            started.job().pid(), started.fallbackReason() == null ? "" : " local because " + started.fallbackReason());
        started.job().exit().whenComplete((code, error) -> finish(live, started, code, error));
        relayStdin(started.job());
        if (!started.job().exit().isDone()) {
            LOG.info("job(id={} host={}) shim went away: ending pid {} (TERM, KILL after {} ms)",
                live.number, started.host(), started.job().pid(), killGrace.toMillis());
            live.cancelled = LiveJob.Cancel.SHIM_GONE;
            started.job().cancel(killGrace);
        }
    }

    /** Relays stdin frames until the connection closes: after our EXIT frame, or because the shim died. */
    private void relayStdin(RunningJob job) {
        OutputStream stdin = job.stdin();
        boolean stdinOpen = true;
        try {
            for (Frame frame = shim.read(); frame != null; frame = shim.read()) {
                if (!stdinOpen) {
                    continue;
                }
                if (frame.type() == FrameType.STDIN) {
                    stdinOpen = writeQuietly(stdin, frame.payload());
                } else if (frame.type() == FrameType.STDIN_EOF) {
                    closeQuietly(stdin);
                    stdinOpen = false;
                }
            }
        } catch (ProtocolException e) {
            LOG.warn("job: bad frame from the shim, treating it as gone: {}", e.getMessage());
        } catch (IOException e) {
            // the shim vanished (killed): nobody waits for this job
        }
    }

    private void finish(LiveJob live, Dispatcher.Started started, Integer code, Throwable error) {
        // Runs on whichever thread completed the exit future: tag it for these lines only.
        try (MDC.MDCCloseable job = MDC.putCloseable(Daemon.MDC_JOB, String.valueOf(live.number));
             MDC.MDCCloseable host = MDC.putCloseable(Daemon.MDC_HOST, live.host)) {
            end(live, started, code, error);
        }
    }

    private void end(LiveJob live, Dispatcher.Started started, Integer code, Throwable error) {
        int exitCode = error != null ? JobExitCodes.WORKER_LOST : code;
        started.release();
        LiveJob.Cancel cancelled = live.cancelled;
        if (cancelled == null) {
            started.ended(exitCode); // a probe ended as the program ended it: its answer may be kept
        }
        if (cancelled == LiveJob.Cancel.SHUTDOWN) {
            shim.tellStderr("the daemon is shutting down and ended this job (exit " + JobExitCodes.CANCELLED + ")");
            exitCode = JobExitCodes.CANCELLED;
        }
        JobState outcome = cancelled != null ? JobState.CANCELLED
            : exitCode == JobExitCodes.WORKER_LOST ? JobState.LOST : exitCode == 0 ? JobState.OK : JobState.FAILED;
        ledger.end(live, exitCode, outcome);
        if (exitCode == JobExitCodes.WORKER_LOST && started.reservation() != null) {
            orphans.accept(started.host(), started.job().pid());
        }
        if (exitCode == JobExitCodes.WORKER_LOST) {
            shim.tellStderr("lost the connection to worker " + started.host() + " while the job ran; its result is unknown (exit "
                + JobExitCodes.WORKER_LOST + ")");
        }
        LOG.info("job(id={} host={}) ended exit={} outcome={}", live.number, started.host(), exitCode, outcome.label());
        shim.send(Frame.exit(exitCode));
        shim.close();
    }

    /**
     * A capability probe answered from a profile: its bytes and exit code, and nothing run, so
     * no history row either (it would cost more than the answer).
     */
    private void answered(ProbeAnswer answer) {
        if (answer.stdout().length > 0) {
            shim.send(FrameType.STDOUT, answer.stdout(), 0, answer.stdout().length);
        }
        if (answer.stderr().length > 0) {
            shim.send(FrameType.STDERR, answer.stderr(), 0, answer.stderr().length);
        }
        shim.send(Frame.exit(answer.exitCode()));
        ledger.metrics().probeAnswered();
        // The shim exits once it has the exit frame. Until it does, what it still sends (its
        // stdin's EOF, written while the answer was on its way) is read and dropped, so it never
        // writes into a closed socket; one that stays is cut off after ANSWER_LINGER.
        CompletableFuture.delayedExecutor(ANSWER_LINGER.toMillis(), TimeUnit.MILLISECONDS)
            .execute(shim::close);
        try {
            while (shim.read() != null) {
                // dropped: nothing runs that could use it
            }
        } catch (IOException e) {
            // gone, cut off, or a frame that makes no sense: nothing is waiting for it
        }
        shim.close();
    }

    private void finishWithError(int exitCode, String message) {
        shim.tellStderr(message);
        shim.send(Frame.exit(exitCode));
        shim.close();
    }

    private static boolean writeQuietly(OutputStream stdin, byte[] bytes) {
        try {
            stdin.write(bytes);
            stdin.flush();
            return true;
        } catch (IOException e) {
            return false; // the process has closed its stdin or ended: keep reading to see the shim go
        }
    }

    private static void closeQuietly(OutputStream stdin) {
        try {
            stdin.close();
        } catch (IOException e) {
            // already closed by the process ending
        }
    }
}
