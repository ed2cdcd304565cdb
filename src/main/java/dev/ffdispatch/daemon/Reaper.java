package dev.ffdispatch.daemon;

import dev.ffdispatch.ssh.Reasons;
import dev.ffdispatch.ssh.SshTarget;
import dev.ffdispatch.ssh.WorkerLink;
import dev.ffdispatch.store.HostRecord;
import dev.ffdispatch.store.JobRecord;
import dev.ffdispatch.store.Store;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends what an earlier daemon run left behind. Jobs still marked running in the store belong to
 * a run that died (kill -9, power loss): their ffmpeg may still be running on a worker with
 * nobody to read it. Each is killed (only if the PID is still an ffmpeg/ffprobe) and recorded as
 * lost; a worker that is down now is reaped when it comes back.
 */
final class Reaper {
    private static final Logger LOG = LoggerFactory.getLogger(Reaper.class);
    private static final Duration REAP_TIMEOUT = Duration.ofSeconds(10);

    private final Store store;
    private final WorkerLink link;
    private final Function<String, Optional<SshTarget>> targets;
    private final Clock clock;
    private final String server;
    private final Map<String, List<Orphan>> waiting = new ConcurrentHashMap<>();

    /** A process to end on a worker; {@code record} when its job is still marked running. */
    private record Orphan(long jobId, Long pid, boolean record) {
    }

    /** @param server this server's name with shared state (only its own earlier runs' jobs are its to end); null alone */
    Reaper(Store store, WorkerLink link, Function<String, Optional<SshTarget>> targets, Clock clock, String server) {
        this.server = server;
        this.store = store;
        this.link = link;
        this.targets = targets;
        this.clock = clock;
    }

    /** Collects the orphans of earlier runs; local ones are ended at once. Returns how many were found. */
    int collect(String currentRunId) {
        List<JobRecord> orphans = store.orphanedJobs(currentRunId, server);
        for (JobRecord job : orphans) {
            if (HostRecord.LOCAL.equals(job.host())) {
                reapLocal(job);
            } else {
                waiting.computeIfAbsent(job.host(), h -> new CopyOnWriteArrayList<>()).add(new Orphan(job.id(), job.pid(), true));
            }
        }
        if (!orphans.isEmpty()) {
            LOG.info("reaper found {} job(s) left running by an earlier daemon run", orphans.size());
        }
        return orphans.size();
    }

    /**
     * A job given up as lost (its worker went silent) may still run there once the link is
     * back, writing segments nobody reads: end it when the host answers again.
     */
    void orphaned(String host, long pid) {
        waiting.computeIfAbsent(host, h -> new CopyOnWriteArrayList<>()).add(new Orphan(-1, pid, false));
    }

    boolean hasOrphans(String host) {
        return waiting.containsKey(host);
    }

    /** Tries to reap the orphans on {@code host}; called at start and whenever a host answers. */
    void reap(String host) {
        // Taking the list out makes concurrent calls (start-up sweep and host-up event) reap once.
        List<Orphan> jobs = waiting.remove(host);
        if (jobs == null || jobs.isEmpty()) {
            return;
        }
        Optional<SshTarget> target = targets.apply(host);
        if (target.isEmpty()) { // host removed meanwhile: nothing we can reach
            jobs.forEach(this::lost);
            return;
        }
        for (int i = 0; i < jobs.size(); i++) {
            Orphan job = jobs.get(i);
            try {
                String outcome = job.pid() == null ? "no pid" : link.reap(target.get(), job.pid(), REAP_TIMEOUT);
                lost(job);
                LOG.info("reaper(host={}) pid {} of lost job {}: {}", host, job.pid(), job.jobId(), outcome);
            } catch (IOException e) {
                LOG.info("reaper(host={}) cannot reach the host yet ({}); will retry when it is up", host, Reasons.of(e));
                waiting.merge(host, new CopyOnWriteArrayList<>(jobs.subList(i, jobs.size())), (a, b) -> {
                    a.addAll(b);
                    return a;
                });
                return;
            }
        }
    }

    void reapAll() {
        waiting.keySet().forEach(this::reap);
    }

    private void reapLocal(JobRecord job) {
        if (job.pid() != null) {
            ProcessHandle.of(job.pid())
                .filter(p -> p.info().command().map(c -> c.endsWith("/ffmpeg") || c.endsWith("/ffprobe")).orElse(false))
                .ifPresent(p -> {
                    p.destroy();
                    p.onExit().completeOnTimeout(p, 2, TimeUnit.SECONDS).join();
                    p.destroyForcibly();
                    LOG.info("reaper(host=local) ended pid {} of lost job {}", job.pid(), job.id());
                });
        }
        store.markLost(job.id(), clock.instant());
    }

    private void lost(Orphan job) {
        if (job.record()) {
            store.markLost(job.jobId(), clock.instant());
        }
    }
}
