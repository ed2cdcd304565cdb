package dev.ffdispatch.balance;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongPredicate;

/**
 * The balancer: every host's own and foreign load, and the choice of the next host.
 *
 * <p>Choosing and reserving is one step under one lock, so a burst of simultaneous starts
 * spreads exactly as the formula says: each start sees the reservations of the ones before it.
 * A decision is one pass over the hosts (O(hosts)) whatever the number of live jobs.
 *
 * <p>Thread-safe.
 */
public final class LoadBook {
    /** By id, so snapshots come out in a stable order. Entries are kept across setHosts (see there). */
    private final Map<Long, HostSlot> slots = new TreeMap<>();

    /**
     * Replaces the set of hosts. Hosts still present keep their own and foreign counts (their
     * jobs are still running); removed hosts are forgotten, and releasing their reservations
     * later changes nothing.
     */
    public synchronized void setHosts(Collection<HostSpec> hosts) {
        Map<Long, HostSlot> next = new HashMap<>();
        for (HostSpec spec : hosts) {
            if (next.containsKey(spec.id())) {
                throw new IllegalArgumentException("host id " + spec.id() + " appears twice (" + spec.name()
                        + " and " + next.get(spec.id()).spec.name() + "); host ids must be unique");
            }
            HostSlot slot = slots.get(spec.id());
            if (slot == null) {
                slot = new HostSlot(spec);
            } else {
                slot.spec = spec;
            }
            next.put(spec.id(), slot);
        }
        slots.clear();
        slots.putAll(next);
    }

    /** Marks a host as able (up and not drained) or unable to take new jobs; unknown ids are ignored. */
    public synchronized void setEligible(long hostId, boolean eligible) {
        HostSlot slot = slots.get(hostId);
        if (slot != null) {
            slot.spec = slot.spec.withEligible(eligible);
        }
    }

    /**
     * Records a poll's ffmpeg process count: what is not ours is foreign load. Our jobs that
     * have not started their ffmpeg yet make the difference negative, hence the floor at 0.
     * Unknown ids are ignored (the host was removed while the probe ran).
     */
    public synchronized void recordPoll(long hostId, int polledFfmpegCount) {
        HostSlot slot = slots.get(hostId);
        if (slot != null) {
            slot.foreign = Math.max(0, polledFfmpegCount - slot.own);
        }
    }

    /** {@link #reserve(LongPredicate)} with every host but {@code excludedHostIds} allowed. */
    public Optional<Reservation> reserve(Set<Long> excludedHostIds) {
        return reserve(id -> !excludedHostIds.contains(id));
    }

    /**
     * Chooses the best candidate that {@code allowed} accepts and reserves one job on it, in one
     * atomic step. Candidates are eligible hosts under their {@code max_jobs}; {@code allowed}
     * narrows them per job (hosts that failed this job before it started, hosts whose capabilities
     * or routing rules do not fit it), and the ranking orders what is left.
     *
     * @return the reservation; release it when the job ends (or fails to start); empty when no
     *     host can take the job (the caller falls back to local, or reports the error)
     */
    public synchronized Optional<Reservation> reserve(LongPredicate allowed) {
        HostSlot best = best(allowed);
        if (best == null) {
            return Optional.empty();
        }
        best.own++;
        return Optional.of(new Reservation(this, best, best.spec.id(), best.spec.name()));
    }

    /**
     * The host {@link #reserve(LongPredicate)} would choose now, without reserving it: where a
     * call that runs nothing (a capability probe answered from a profile) is answered from.
     */
    public synchronized Optional<HostLoad> peek(LongPredicate allowed) {
        HostSlot best = best(allowed);
        return best == null ? Optional.empty() : Optional.of(load(best));
    }

    private HostSlot best(LongPredicate allowed) {
        HostSlot best = null;
        long bestScore = 0;
        for (HostSlot slot : slots.values()) {
            if (!slot.isCandidate() || !allowed.test(slot.spec.id())) {
                continue;
            }
            long score = slot.score();
            if (best == null || Ranking.compare(score, slot.spec.weight(), slot.spec.id(),
                    bestScore, best.spec.weight(), best.spec.id()) < 0) {
                best = slot;
                bestScore = score;
            }
        }
        return best;
    }

    /** Every host's load now, by id. */
    public synchronized List<HostLoad> snapshot() {
        List<HostLoad> loads = new ArrayList<>(slots.size());
        for (HostSlot slot : slots.values()) {
            loads.add(load(slot));
        }
        return loads;
    }

    private static HostLoad load(HostSlot slot) {
        HostSpec s = slot.spec;
        return new HostLoad(s.id(), s.name(), s.weight(), s.maxJobs(), s.eligible(), slot.own, slot.foreign, slot.score());
    }

    /** Called once per reservation; the slot may already be gone from the book, which is harmless. */
    synchronized void release(HostSlot slot) {
        if (slot.own > 0) {
            slot.own--;
        }
    }

    /** One host's mutable state, guarded by the book's lock. */
    static final class HostSlot {
        HostSpec spec;
        int own;
        int foreign;

        HostSlot(HostSpec spec) {
            this.spec = spec;
        }

        long active() {
            return (long) own + foreign;
        }

        long score() {
            return Ranking.score(active(), spec.weight());
        }

        boolean isCandidate() {
            return spec.eligible() && (spec.maxJobs() == 0 || active() < spec.maxJobs())
                && (spec.maxOwn() == 0 || own < spec.maxOwn());
        }
    }
}
