package dev.ffdispatch.daemon;

import dev.ffdispatch.metrics.DispatchMetrics;
import dev.ffdispatch.protocol.Tool;
import dev.ffdispatch.store.JobState;
import dev.ffdispatch.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Job history and host events, written by ONE thread so the daemon never competes with itself
 * for SQLite's write lock (the CLI's writes wait on the busy timeout instead), and the live job
 * registry that status and shutdown read. A write the database refuses stays in memory and is
 * retried ({@link WriteBehind}); it never holds up the writes of other jobs.
 */
final class JobLedger implements AutoCloseable {
    private static final int COMMAND_CHARS = 2000;

    private final Store store;
    private final Clock clock;
    private final String runId;
    private final String server;
    private final DispatchMetrics metrics;
    private final WriteBehind writer;
    private final Map<Long, LiveJob> live = new ConcurrentHashMap<>();
    private final AtomicLong numbers = new AtomicLong();
    private volatile Consumer<String> hostUpListener = host -> { };

    /** @param server this server's name, written with each job (several servers may share the history) */
    JobLedger(Store store, Clock clock, String runId, String server, DispatchMetrics metrics) {
        this.store = store;
        this.clock = clock;
        this.runId = runId;
        this.server = server;
        this.metrics = metrics;
        this.writer = new WriteBehind("ledger", metrics);
    }

    DispatchMetrics metrics() {
        return metrics;
    }

    Clock clock() {
        return clock;
    }

    LiveJob begin(Tool tool, String host, String command, String fallbackReason) {
        String shortCommand = command.length() > COMMAND_CHARS ? command.substring(0, COMMAND_CHARS) + "..." : command;
        LiveJob job = new LiveJob(numbers.incrementAndGet(), tool, host, shortCommand, clock.instant(), fallbackReason);
        live.put(job.number, job);
        metrics.jobStarted(host, tool.command());
        // The job's writes share its number as key: in order, each after the one before succeeded,
        // so the id set here is known when the pid and the end are written.
        writer.submit(job.number, "jobStarted(job=" + job.number + " tool=" + tool.command() + " host=" + host
                + " started=" + job.started + " command=" + shortCommand + ")",
            () -> job.storeId = store.jobStarted(tool.command(), host, shortCommand, job.started, runId, server));
        return job;
    }

    void pid(LiveJob job, long pid) {
        job.pid = pid;
        writer.submit(job.number, "jobPid(job=" + job.number + " pid=" + pid + ")", () -> store.jobPid(job.storeId, pid));
    }

    void end(LiveJob job, int exitCode, JobState outcome) {
        live.remove(job.number);
        Instant ended = clock.instant();
        metrics.jobFinished(job.host, job.tool.command(), outcome.label(), Duration.between(job.started, ended));
        writer.submit(job.number, "jobFinished(job=" + job.number + " ended=" + ended + " exit=" + exitCode
                + " outcome=" + outcome.label() + ")",
            () -> store.jobFinished(job.storeId, ended, exitCode, outcome, job.fallbackReason));
    }

    void hostEvent(String host, String from, String to, String reason) {
        Instant at = clock.instant();
        // Per host in order, so "down" never lands after the "up" that followed it.
        writer.submit("host:" + host, "hostEvent(host=" + host + " " + from + "->" + to + " at=" + at + " reason="
                + reason + ")", () -> store.hostEvent(host, from, to, reason, at));
    }

    void onHostUp(Consumer<String> listener) {
        this.hostUpListener = listener;
    }

    /** A host answered a probe: the moment to end what was left running there. */
    void hostAnswered(String host) {
        hostUpListener.accept(host);
    }

    /** History writes waiting in memory (the database refused them, or is away). */
    int pendingWrites() {
        return writer.pending();
    }

    Collection<LiveJob> live() {
        return List.copyOf(live.values());
    }

    /** Waits for queued writes (shutdown), at most 10 s; what is left is logged at ERROR. */
    @Override
    public void close() {
        writer.close();
    }
}
