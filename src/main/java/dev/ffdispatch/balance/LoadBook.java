package dev.ffdispatch.balance;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.LongPredicate;

/**
 * The balancer of one server: every host's own and foreign load in memory, and the choice of
 * the next host.
 *
 * <p>Choosing and reserving is one step under one lock, so a burst of simultaneous starts
 * spreads exactly as the formula says: each start sees the reservations of the ones before it.
 * A decision is one pass over the hosts (O(hosts)) whatever the number of live jobs.
 *
 * <p>Thread-safe.
 */
public final class LoadBook implements HostBook {
    /** By id, so snapshots come out in a stable order. Entries are kept across setHosts (see there). */
    private final Map<Long, HostSlot> slots = new TreeMap<>();

    /**
     * Replaces the set of hosts. Hosts still present keep their own and foreign counts (their
     * jobs are still running); removed hosts are forgotten, and releasing their reservations
     * later changes nothing.
     */
    @Override
    public synchronized void setHosts(Collection<HostSpec> hosts) {
        BookSlot.replace(slots, hosts, HostSlot::new);
    }

    @Override
    public synchronized void setEligible(long hostId, boolean eligible) {
        HostSlot slot = slots.get(hostId);
        if (slot != null) {
            slot.setEligible(eligible);
        }
    }

    /**
     * Records a poll's ffmpeg process count: what is not ours is foreign load. Our jobs that
     * have not started their ffmpeg yet make the difference negative, hence the floor at 0.
     * Unknown ids are ignored (the host was removed while the probe ran).
     */
    @Override
    public synchronized void recordPoll(long hostId, int polledFfmpegCount) {
        HostSlot slot = slots.get(hostId);
        if (slot != null) {
            slot.foreign = Math.max(0, polledFfmpegCount - slot.own);
        }
    }

    @Override
    public synchronized Optional<Reservation> reserve(LongPredicate allowed) {
        HostSlot best = Ranking.choose(slots.values(), allowed);
        if (best == null) {
            return Optional.empty();
        }
        best.own++;
        return Optional.of(new Reservation(best.spec().id(), best.spec().name(), () -> release(best)));
    }

    @Override
    public synchronized List<HostLoad> snapshot() {
        List<HostLoad> loads = new ArrayList<>(slots.size());
        for (HostSlot slot : slots.values()) {
            HostSpec s = slot.spec();
            loads.add(new HostLoad(s.id(), s.name(), s.weight(), s.maxJobs(), s.eligible(), slot.own,
                    slot.foreign, slot.score()));
        }
        return loads;
    }

    /** Called once per reservation; the slot may already be gone from the book, which is harmless. */
    private synchronized void release(HostSlot slot) {
        if (slot.own > 0) {
            slot.own--;
        }
    }

    /** One host's mutable state, guarded by the book's lock. */
    private static final class HostSlot extends BookSlot {
        int own;
        int foreign;

        HostSlot(HostSpec spec) {
            super(spec);
        }

        @Override
        public long pool() {
            return own;
        }

        @Override
        public long mine() {
            return own;
        }

        @Override
        public long foreign() {
            return foreign;
        }

        long score() {
            return Ranking.score((long) own + foreign, spec().weight());
        }
    }
}
