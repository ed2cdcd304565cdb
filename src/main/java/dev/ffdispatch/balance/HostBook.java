package dev.ffdispatch.balance;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongPredicate;

/**
 * Where the daemon chooses hosts and keeps their load: {@link LoadBook} in memory (one server,
 * SQLite), or a book shared by several servers through their database. Either way the choice is
 * {@link Ranking#choose} over every live job of the pool, and a host is reserved in the same step
 * as it is chosen. Implementations are thread-safe.
 */
public interface HostBook {
    /** Replaces the set of hosts; hosts still present keep their load. */
    void setHosts(Collection<HostSpec> hosts);

    /** Marks a host as able (up and not drained) or unable to take new jobs; unknown ids are ignored. */
    void setEligible(long hostId, boolean eligible);

    /**
     * Records a poll's ffmpeg process count. Foreign load is what the pool's own live jobs there
     * do not explain: {@code max(0, polled - live jobs of every server on that host)}.
     */
    void recordPoll(long hostId, int polledFfmpegCount);

    /**
     * Chooses the best candidate that {@code allowed} accepts and reserves one job on it, in one
     * atomic step. {@code allowed} narrows the candidates per job (hosts that failed this job
     * before it started; later, hosts whose capabilities fit it); the ranking orders what is left.
     *
     * @return the reservation, to release when the job ends or fails to start; empty when no host can take it
     */
    Optional<Reservation> reserve(LongPredicate allowed);

    /** {@link #reserve(LongPredicate)} with every host but {@code excludedHostIds} allowed. */
    default Optional<Reservation> reserve(Set<Long> excludedHostIds) {
        return reserve(id -> !excludedHostIds.contains(id));
    }

    /** Every host's load now, by id. */
    List<HostLoad> snapshot();

    /** Why no host can be chosen right now regardless of load (e.g. the shared state is away), or empty. */
    default Optional<String> unavailable() {
        return Optional.empty();
    }
}
