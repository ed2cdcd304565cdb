package dev.ffdispatch.daemon;

import dev.ffdispatch.balance.BookSlot;
import dev.ffdispatch.balance.HostBook;
import dev.ffdispatch.balance.HostLoad;
import dev.ffdispatch.balance.HostSpec;
import dev.ffdispatch.balance.Ranking;
import dev.ffdispatch.balance.Reservation;
import dev.ffdispatch.posix.NamedThreads;
import dev.ffdispatch.store.Leases;
import dev.ffdispatch.store.StoreException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host book of a server that shares its pool with others through PostgreSQL. Each choice is
 * one transaction under the pool's advisory lock ({@link Leases#reserve}) that counts every
 * server's live jobs, so a burst spread over several servers lands exactly as the formula says.
 * Ranking is {@link Ranking#choose}, as for one server.
 *
 * <p>While the database cannot be reached ("away"), running jobs go on and new ones are placed
 * with the last known counts of the other servers plus this server's own jobs, or not placed at
 * all (then they run locally), as {@code state.when_away} says. Every {@link #renewEvery()} the
 * lease is renewed; when the database is back, this server's rows are replaced by its live jobs
 * (those placed while it was away included) and the book is shared again.
 *
 * <p>Public for the bench (decision latency with several servers); the daemon makes one per run.
 */
public final class SharedBook implements HostBook, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SharedBook.class);

    /** Why and since when the database is away. */
    record Away(Instant since, String reason) {
    }

    private final Leases leases;
    private final boolean placeWhenAway;
    private final Clock clock;
    private final Duration lease;
    private final String location;
    private final ExecutorService db = Executors.newSingleThreadExecutor(NamedThreads.factory("shared-state"));
    /** Everything below is guarded by this. */
    private final Map<Long, Slot> slots = new TreeMap<>();
    /** This run's live reservations: sequence number -> host id. */
    private final Map<Long, Long> mine = new HashMap<>();
    /** Every server's live jobs per host as last read, and how many of them were this run's then. */
    private Map<Long, Long> lastPool = Map.of();
    private Map<Long, Long> mineAtLastRead = Map.of();
    private long nextSeq;
    private volatile Away away;

    /** @param placeWhenAway true for {@code state.when_away: last_known}, false for {@code local} */
    public SharedBook(Leases leases, boolean placeWhenAway, Duration lease, String location, Clock clock) {
        this.leases = leases;
        this.placeWhenAway = placeWhenAway;
        this.lease = lease;
        this.location = location;
        this.clock = clock;
    }

    /** Takes this run's lease; a database away at start is an away database (renew tries again). */
    public void start() {
        try {
            leases.resync(this::mineSnapshot, ProcessHandle.current().pid());
            refreshPool();
        } catch (StoreException e) {
            goAway(e);
        }
    }

    /** Renewing three times per lease survives one slow renewal on a busy machine. */
    Duration renewEvery() {
        return lease.dividedBy(3);
    }

    /** Renews the lease, or (after the database was away, or the lease ran out) merges this run's jobs back. */
    void renew() {
        try {
            db.execute(this::renewNow);
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    private void renewNow() {
        Away was = away;
        try {
            if (was != null || !leases.renew()) {
                leases.resync(this::mineSnapshot, ProcessHandle.current().pid());
            }
            refreshPool();
            if (was != null) {
                away = null;
                LOG.info("state(db={}) back after {} s: this server's {} live job(s) merged into the shared reservations",
                    location, Duration.between(was.since(), clock.instant()).toSeconds(), mineSnapshot().size());
            }
        } catch (StoreException e) {
            goAway(e);
        } catch (RuntimeException e) {
            LOG.warn("state(db={}) renewal failed unexpectedly", location, e);
        }
    }

    @Override
    public Optional<Reservation> reserve(LongPredicate allowed) {
        if (away == null) {
            try {
                return reserveShared(allowed);
            } catch (Leases.LeaseLostException e) {
                try {
                    leases.resync(this::mineSnapshot, ProcessHandle.current().pid());
                    return reserveShared(allowed);
                } catch (StoreException again) {
                    goAway(again);
                }
            } catch (StoreException e) {
                goAway(e);
            }
        }
        return placeWhenAway ? reserveAlone(allowed) : Optional.empty();
    }

    private Optional<Reservation> reserveShared(LongPredicate allowed) {
        long seq = takeSeq();
        OptionalLong chosen;
        try {
            chosen = leases.reserve(seq, pool -> chooseUnderPoolLock(seq, pool, allowed));
        } catch (RuntimeException e) {
            forget(seq); // the row was not written (or, if it was, the next merge replaces it)
            throw e;
        }
        return chosen.isPresent() ? Optional.of(reservation(seq, chosen.getAsLong())) : Optional.empty();
    }

    /** Runs inside the choice transaction: the choice is in {@link #mine} before the lock goes. */
    private synchronized OptionalLong chooseUnderPoolLock(long seq, Map<Long, Long> pool, LongPredicate allowed) {
        lastPool = Map.copyOf(pool);
        mineAtLastRead = mineByHost();
        Map<Long, Long> ownNow = mineAtLastRead;
        for (Slot slot : slots.values()) {
            slot.pool = pool.getOrDefault(slot.spec().id(), 0L);
            slot.mine = ownNow.getOrDefault(slot.spec().id(), 0L);
        }
        Slot best = Ranking.choose(slots.values(), allowed);
        if (best == null) {
            return OptionalLong.empty();
        }
        mine.put(seq, best.spec().id());
        return OptionalLong.of(best.spec().id());
    }

    /** The database is away: the other servers' jobs as last seen, this server's as they are now. */
    private synchronized Optional<Reservation> reserveAlone(LongPredicate allowed) {
        fillFromMemory();
        Slot best = Ranking.choose(slots.values(), allowed);
        if (best == null) {
            return Optional.empty();
        }
        long seq = nextSeq++;
        mine.put(seq, best.spec().id());
        return Optional.of(reservation(seq, best.spec().id()));
    }

    private Reservation reservation(long seq, long hostId) {
        String name;
        synchronized (this) {
            Slot slot = slots.get(hostId);
            name = slot == null ? String.valueOf(hostId) : slot.spec().name();
        }
        return new Reservation(hostId, name, () -> release(seq));
    }

    private void release(long seq) {
        forget(seq);
        if (away == null) {
            try {
                db.execute(() -> {
                    try {
                        leases.release(seq);
                    } catch (StoreException e) {
                        goAway(e); // the merge when it is back writes the rows as they are then
                    }
                });
            } catch (RejectedExecutionException e) {
                // closing: the lease runs out, or unregister deletes every row
            }
        }
    }

    @Override
    public void recordPoll(long hostId, int polledFfmpegCount) {
        long pool;
        if (away == null) {
            try {
                pool = leases.live(hostId);
            } catch (StoreException e) {
                goAway(e);
                pool = poolFromMemory(hostId);
            }
        } else {
            pool = poolFromMemory(hostId);
        }
        synchronized (this) {
            Slot slot = slots.get(hostId);
            if (slot != null) {
                // Another server's job is ours too (the pool's): not foreign, so never counted twice.
                slot.foreign = (int) Math.max(0, polledFfmpegCount - pool);
            }
        }
    }

    @Override
    public synchronized void setHosts(Collection<HostSpec> hosts) {
        BookSlot.replace(slots, hosts, Slot::new);
    }

    @Override
    public synchronized void setEligible(long hostId, boolean eligible) {
        Slot slot = slots.get(hostId);
        if (slot != null) {
            slot.setEligible(eligible);
        }
    }

    /** {@code own} is every server's jobs on the host: what the score counts. */
    @Override
    public synchronized List<HostLoad> snapshot() {
        fillFromMemory();
        List<HostLoad> loads = new ArrayList<>(slots.size());
        for (Slot slot : slots.values()) {
            loads.add(load(slot));
        }
        return loads;
    }

    /** The pool's load as last read: no round trip for a call that reserves nothing. */
    @Override
    public synchronized Optional<HostLoad> peek(LongPredicate allowed) {
        fillFromMemory();
        Slot best = Ranking.choose(slots.values(), allowed);
        return best == null ? Optional.empty() : Optional.of(load(best));
    }

    private static HostLoad load(Slot slot) {
        HostSpec s = slot.spec();
        return new HostLoad(s.id(), s.name(), s.weight(), s.maxJobs(), s.eligible(), (int) slot.pool, slot.foreign,
            Ranking.score(slot.pool + slot.foreign, s.weight()));
    }

    @Override
    public Optional<String> unavailable() {
        Away now = away;
        return now == null || placeWhenAway ? Optional.empty() : Optional.of("the shared state " + location
            + " is away since " + now.since() + " (" + now.reason() + ") and state.when_away is local");
    }

    /** Empty while the database answers. */
    Optional<Away> away() {
        return Optional.ofNullable(away);
    }

    boolean placesWhenAway() {
        return placeWhenAway;
    }

    /** This run's live jobs per host. */
    synchronized Map<Long, Long> mineByHost() {
        Map<Long, Long> counts = new HashMap<>();
        mine.values().forEach(host -> counts.merge(host, 1L, Long::sum));
        return counts;
    }

    private synchronized Map<Long, Long> mineSnapshot() {
        return Map.copyOf(mine);
    }

    private synchronized long takeSeq() {
        return nextSeq++;
    }

    private synchronized void forget(long seq) {
        mine.remove(seq);
    }

    private void refreshPool() {
        Map<Long, Long> pool = leases.live();
        synchronized (this) {
            lastPool = Map.copyOf(pool);
            mineAtLastRead = mineByHost();
        }
    }

    /** Under this: pool counts from the last read, corrected by this run's changes since. */
    private void fillFromMemory() {
        Map<Long, Long> ownNow = mineByHost();
        for (Slot slot : slots.values()) {
            long id = slot.spec().id();
            long others = Math.max(0, lastPool.getOrDefault(id, 0L) - mineAtLastRead.getOrDefault(id, 0L));
            slot.mine = ownNow.getOrDefault(id, 0L);
            slot.pool = others + slot.mine;
        }
    }

    private synchronized long poolFromMemory(long hostId) {
        long others = Math.max(0, lastPool.getOrDefault(hostId, 0L) - mineAtLastRead.getOrDefault(hostId, 0L));
        return others + mineByHost().getOrDefault(hostId, 0L);
    }

    private void goAway(StoreException e) {
        if (away == null) {
            away = new Away(clock.instant(), e.getMessage());
            LOG.warn("state(db={}) away: {}; running jobs go on, job history waits in memory, new jobs {}; trying again every {} s",
                location, e.getMessage(), placeWhenAway ? "are placed with the last known state (state.when_away: last_known)"
                    : "run on this machine (state.when_away: local)", renewEvery().toSeconds());
        }
    }

    /** Gives up this run's rows (a clean stop); when the database is away the lease runs out instead. */
    @Override
    public void close() {
        db.shutdown();
        try {
            db.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (away == null) {
            try {
                leases.unregister();
            } catch (StoreException e) {
                LOG.info("state(db={}) could not give up this run's reservations ({}); they run out within {} s",
                    location, e.getMessage(), lease.toSeconds());
            }
        }
    }

    /** One host with the counts of the choice being made (guarded by the book). */
    private static final class Slot extends BookSlot {
        long pool;
        long mine;
        int foreign;

        Slot(HostSpec spec) {
            super(spec);
        }

        @Override
        public long pool() {
            return pool;
        }

        @Override
        public long mine() {
            return mine;
        }

        @Override
        public long foreign() {
            return foreign;
        }
    }
}
