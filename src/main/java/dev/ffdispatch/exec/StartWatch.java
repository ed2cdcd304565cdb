package dev.ffdispatch.exec;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The output path of one job while its start is not yet confirmed: both streams held back, the
 * PID line looked for on stderr. Once the PID is seen the held bytes go to the sink in order; if
 * the job ends first (or the start times out), nothing reaches the sink and the stderr text
 * explains why. The two outcomes are decided once, under one lock, so a PID arriving just as
 * the start gives up cannot leave half a job's output in the sink.
 */
final class StartWatch {
    private final StartGate stdoutGate;
    private final StartGate stderrGate;
    private final PidLineFilter stderr;
    /** Null until decided; then true (started, gates open) or false (not started, gates discarding). */
    private Boolean started;

    StartWatch(JobSink sink) {
        this.stdoutGate = new StartGate(sink.stdout());
        this.stderrGate = new StartGate(sink.stderr());
        this.stderr = new PidLineFilter(stderrGate);
        // Open on the writer's thread the moment the PID is seen, not when the starting thread
        // wakes up: output that overtook the PID line is held only that briefly.
        stderr.pid().thenRun(this::decideStarted);
    }

    /** Where the job's stdout must be written. */
    OutputStream stdout() {
        return stdoutGate;
    }

    /** Where the job's stderr must be written. */
    OutputStream stderr() {
        return stderr;
    }

    /** The reported PID, also when it arrives after {@link #awaitPid} gave up. */
    CompletableFuture<Long> pid() {
        return stderr.pid();
    }

    /**
     * Waits until the PID line arrives or the job ends, at most {@code timeout}.
     *
     * @param ended completes with the exit code once the job ended and all output was written
     * @param where names the target in error messages, such as {@code host gpu1}
     * @throws NotStartedException when the job ended without a PID line, or none came in time
     */
    long awaitPid(CompletableFuture<Integer> ended, Duration timeout, String where) throws NotStartedException {
        try {
            CompletableFuture.anyOf(stderr.pid(), ended).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            String text = decideNotStarted();
            if (text != null) {
                throw new NotStartedException("job did not report its PID on " + where + " within " + timeout
                    + " (the worker's shell may hang in a start-up file or on a stale mount); stderr so far: " + quoted(text));
            }
        } catch (ExecutionException e) {
            // The job ended abnormally; whether a PID came first is decided below.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (decideNotStarted() != null) {
                throw new NotStartedException("interrupted while starting the job on " + where, e);
            }
        }
        Long pid = stderr.pid().getNow(null);
        if (pid == null) {
            throw notStarted(ended, where);
        }
        decideStarted();
        return pid;
    }

    private synchronized void decideStarted() {
        if (started != null) {
            return;
        }
        started = true;
        try {
            stdoutGate.open();
            stderrGate.open();
        } catch (IOException e) {
            // The sink is the shim's connection: if it broke, the job runs on and the caller cancels it.
        }
    }

    /** The held stderr text, or null when the job was already decided started. */
    private synchronized String decideNotStarted() {
        if (Boolean.TRUE.equals(started)) {
            return null;
        }
        started = false;
        stdoutGate.discard();
        return stderrGate.discard();
    }

    private NotStartedException notStarted(CompletableFuture<Integer> ended, String where) {
        try {
            stderr.close();
        } catch (IOException e) {
            // Only releases held bytes into the gate, which cannot fail while holding.
        }
        String text = decideNotStarted();
        Integer code = ended.isCompletedExceptionally() ? null : ended.getNow(null);
        String fix = code != null && code == RemoteCommand.CD_FAILED
            ? "the working directory is missing there: check the shared storage mount and path mapping"
            : "check that the worker's login shell is a POSIX sh";
        return new NotStartedException("job ended on " + where + " before it started (shell exit " + code + "; "
            + fix + "): " + quoted(text));
    }

    private static String quoted(String text) {
        return "'" + (text == null ? "" : text.strip()) + "'";
    }
}
