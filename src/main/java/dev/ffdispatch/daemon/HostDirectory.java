package dev.ffdispatch.daemon;

import dev.ffdispatch.balance.HostBook;
import dev.ffdispatch.balance.HostSpec;
import dev.ffdispatch.poll.HostHealth;
import dev.ffdispatch.poll.HostState;
import dev.ffdispatch.poll.PollListener;
import dev.ffdispatch.poll.PolledHost;
import dev.ffdispatch.poll.Poller;
import dev.ffdispatch.ssh.SshTarget;
import dev.ffdispatch.store.HostRecord;
import dev.ffdispatch.store.Store;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's live view of the worker hosts. Reloads the hosts table when the store's change
 * counter moves (the CLI writes it from another process), feeds the balancer and the poller, and
 * keeps one executor per host. Also the poller's listener: a host is eligible for new jobs while
 * it is up and not drained.
 */
final class HostDirectory implements PollListener {
    private static final Logger LOG = LoggerFactory.getLogger(HostDirectory.class);

    private final Store store;
    private final HostBook loadBook;
    private final Poller poller;
    private final Function<HostRecord, WorkerHost> hostFactory;
    private final JobLedger ledger;
    private final Map<Long, WorkerHost> hosts = new ConcurrentHashMap<>();
    private final Consumer<SshTarget> disconnect;
    private final int jobCapacity;
    private volatile long seenCounter = Long.MIN_VALUE;
    /** Rows that cannot be used, by id, and why. */
    private final Map<Long, HostRecord> problems = new ConcurrentHashMap<>();
    private final Map<Long, String> reasons = new ConcurrentHashMap<>();
    /** Told of a worker that began to answer probes, or whose row changed while it answers. */
    private volatile Consumer<WorkerHost> answering = host -> { };

    HostDirectory(Store store, HostBook loadBook, Poller poller, Function<HostRecord, WorkerHost> hostFactory,
                  JobLedger ledger, Consumer<SshTarget> disconnect, int jobCapacity) {
        this.jobCapacity = jobCapacity;
        this.disconnect = disconnect;
        this.store = store;
        this.loadBook = loadBook;
        this.poller = poller;
        this.hostFactory = hostFactory;
        this.ledger = ledger;
    }

    /**
     * Re-reads the hosts table if it changed since the last call. Cheap when nothing changed. A
     * row the daemon cannot use puts that host aside with the reason ({@link #problem}); the
     * others are used. The change counter counts as seen only once the new list is in place, so
     * a failed read is tried again at the next call.
     */
    synchronized void refresh() {
        long counter = store.changeCounter();
        if (counter == seenCounter) {
            return;
        }
        List<HostRecord> records = store.hosts();
        Map<Long, WorkerHost> next = new ConcurrentHashMap<>();
        Map<Long, HostRecord> unusable = new ConcurrentHashMap<>();
        for (HostRecord record : records) {
            WorkerHost old = hosts.get(record.id());
            boolean same = old != null && old.record().equals(record);
            WorkerHost host = same ? old : usable(record);
            if (host == null) {
                unusable.put(record.id(), record);
                continue;
            }
            next.put(record.id(), host);
            if (old != null && !same) {
                LOG.info("hosts(host={}) changed: weight={} drained={} maxJobs={}",
                    record.name(), record.weight(), record.drained(), record.maxJobs());
                if (answers(record.id())) {
                    answering.accept(host); // its ffmpeg may be another binary now
                }
            } else if (old == null) {
                LOG.info("hosts(host={}) added: address={} weight={}", record.name(), record.address(), record.weight());
            }
        }
        for (WorkerHost gone : hosts.values()) {
            if (!next.containsKey(gone.record().id())) {
                LOG.info("hosts(host={}) removed", gone.record().name());
            }
        }
        hosts.clear();
        hosts.putAll(next);
        problems.keySet().retainAll(unusable.keySet());
        problems.putAll(unusable);
        List<HostSpec> specs = new ArrayList<>();
        List<PolledHost> polled = new ArrayList<>();
        for (WorkerHost host : next.values()) {
            specs.add(spec(host.record()));
            polled.add(host.polled());
        }
        // Unusable hosts stay in the book, never eligible, so status and metrics still list them.
        for (HostRecord record : unusable.values()) {
            specs.add(new HostSpec(record.id(), record.name(), record.weight(),
                record.maxJobs() == null ? 0 : record.maxJobs(), false, jobCapacity));
        }
        loadBook.setHosts(specs);
        poller.setHosts(polled);
        for (WorkerHost host : next.values()) {
            poller.setDrained(host.record().id(), host.record().drained());
        }
        seenCounter = counter;
    }

    /** The host as the daemon uses it, or null (logged once per change of the row) when the row is unusable. */
    private WorkerHost usable(HostRecord record) {
        String problem = record.problem();
        if (problem == null) {
            try {
                return hostFactory.apply(record);
            } catch (RuntimeException e) {
                problem = e.getMessage() + "; fix the host with: ffdispatch host set " + record.name();
            }
        }
        HostRecord known = problems.get(record.id());
        if (known == null || !known.equals(record)) {
            LOG.warn("hosts(host={}) not used, no jobs go there until it is fixed: {}", record.name(), problem);
        }
        reasons.put(record.id(), problem);
        return null;
    }

    /** Sets who hears of workers that answer (again): the capability profiles. */
    void onAnswering(Consumer<WorkerHost> listener) {
        this.answering = listener;
    }

    private boolean answers(long id) {
        HostHealth health = poller.health(id);
        return health != null && (health.state() == HostState.UP || health.state() == HostState.DRAINED);
    }

    /** The workers answering probes now (up or drained). */
    List<WorkerHost> answering() {
        return hosts.values().stream().filter(h -> answers(h.record().id())).toList();
    }

    /** Why the host with {@code id} is not used, or null when it is (or is unknown). */
    String problem(long id) {
        return problems.containsKey(id) ? reasons.get(id) : null;
    }

    private HostSpec spec(HostRecord record) {
        HostHealth health = poller.health(record.id());
        boolean up = health != null && health.state() == HostState.UP;
        int maxJobs = record.maxJobs() == null ? 0 : record.maxJobs();
        return new HostSpec(record.id(), record.name(), record.weight(), maxJobs, up && !record.drained(), jobCapacity);
    }

    WorkerHost host(long id) {
        return hosts.get(id);
    }

    /** The stored row of the host with {@code id}, usable or not; null when it is not (or no longer) known. */
    HostRecord record(long id) {
        WorkerHost host = hosts.get(id);
        return host != null ? host.record() : problems.get(id);
    }

    List<WorkerHost> all() {
        return List.copyOf(hosts.values());
    }

    @Override
    public void stateChanged(PolledHost host, HostState from, HostState to, String reason) {
        loadBook.setEligible(host.id(), to == HostState.UP); // a drained host reports DRAINED, never UP
        ledger.hostEvent(host.target().name(), from.name().toLowerCase(), to.name().toLowerCase(), reason);
        if ((from == HostState.UP || from == HostState.DRAINED) && to == HostState.DOWN) {
            ledger.metrics().hostFlapped(host.target().name());
        }
        boolean wasAnswering = from == HostState.UP || from == HostState.DRAINED;
        WorkerHost worker = hosts.get(host.id());
        if (!wasAnswering && (to == HostState.UP || to == HostState.DRAINED) && worker != null) {
            answering.accept(worker);
        }
    }

    /**
     * Jobs on silently dead sessions would hang for minutes: sessions that no longer answer an
     * SSH keepalive are dropped, so their jobs end with 74. Sessions that answer stay, with
     * their jobs: a slow probe on a busy machine is no reason to kill transcodes.
     */
    @Override
    public void unreachable(PolledHost host, String reason) {
        disconnect.accept(host.target());
    }

    @Override
    public void polled(PolledHost host, int ffmpegCount, Duration latency) {
        loadBook.recordPoll(host.id(), ffmpegCount);
        ledger.hostAnswered(host.target().name());
        ledger.metrics().hostPolled(host.target().name(), ffmpegCount, latency);
    }
}
