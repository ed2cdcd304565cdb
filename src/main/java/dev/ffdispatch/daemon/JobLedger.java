package dev.ffdispatch.daemon;

import dev.ffdispatch.metrics.DispatchMetrics;
import dev.ffdispatch.protocol.Tool;
import dev.ffdispatch.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Job history and host events, written by ONE thread so the daemon never competes with itself
 * for SQLite's write lock (the CLI's writes wait on the busy timeout instead), and the live job
 * registry that status and shutdown read.
 */
final class JobLedger implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JobLedger.class);
    private static final int COMMAND_CHARS = 2000;

    private final Store store;
    private final Clock clock;
    private final String runId;
    private final DispatchMetrics metrics;
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "store-writer");
        t.setDaemon(true);
        return t;
    });
    private final Map<Long, LiveJob> live = new ConcurrentHashMap<>();
    private final AtomicLong numbers = new AtomicLong();
    private volatile Consumer<String> hostUpListener = host -> { };

    JobLedger(Store store, Clock clock, String runId, DispatchMetrics metrics) {
        this.store = store;
        this.clock = clock;
        this.runId = runId;
        this.metrics = metrics;
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
        write("jobStarted", () -> job.storeId.complete(
            store.jobStarted(tool.command(), host, shortCommand, job.started, runId)));
        return job;
    }

    void pid(LiveJob job, long pid) {
        job.pid = pid;
        write("jobPid", () -> store.jobPid(job.storeId.join(), pid));
    }

    void end(LiveJob job, int exitCode, String outcome) {
        live.remove(job.number);
        Instant ended = clock.instant();
        metrics.jobFinished(job.host, job.tool.command(), outcome, Duration.between(job.started, ended));
        write("jobFinished", () -> store.jobFinished(job.storeId.join(), ended, exitCode, outcome, job.fallbackReason));
    }

    void hostEvent(String host, String from, String to, String reason) {
        Instant at = clock.instant();
        write("hostEvent", () -> store.hostEvent(host, from, to, reason, at));
    }

    void onHostUp(Consumer<String> listener) {
        this.hostUpListener = listener;
    }

    /** A host answered a probe: the moment to end what was left running there. */
    void hostAnswered(String host) {
        hostUpListener.accept(host);
    }

    Collection<LiveJob> live() {
        return List.copyOf(live.values());
    }

    /** Runs {@code work} on the writer thread; a failed write is logged, never thrown at a job. */
    void write(String what, Runnable work) {
        try {
            writer.execute(() -> {
                try {
                    work.run();
                } catch (RuntimeException e) {
                    LOG.warn("ledger {} failed: {}", what, e.toString());
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.warn("ledger {} dropped: the daemon is stopping", what);
        }
    }

    /** Waits for queued writes (shutdown), at most {@code timeout}. */
    @Override
    public void close() {
        writer.shutdown();
        try {
            if (!writer.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("ledger: pending writes not finished after 10 s; job history may be incomplete");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
