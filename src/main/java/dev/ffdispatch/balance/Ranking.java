package dev.ffdispatch.balance;

import java.util.Comparator;
import java.util.function.LongPredicate;

/**
 * The ranking formula, in one place: {@code score = (active*1000)/weight - weight} in integer
 * arithmetic; lowest score wins, a tie goes to the higher weight, then to the lower id. Documented
 * for users in docs/workers.md, "How a worker is chosen".
 */
public final class Ranking {

    /** Best host first: the order {@link #choose} chooses by. */
    public static final Comparator<HostLoad> BEST_FIRST =
            (a, b) -> compare(a.score(), a.weight(), a.id(), b.score(), b.weight(), b.id());

    private Ranking() {
    }

    /**
     * The score of a host running {@code active} ffmpeg processes (own + foreign).
     * Long arithmetic: no overflow for any int count.
     */
    public static long score(long active, int weight) {
        return (active * 1000) / weight - weight;
    }

    /** A host with its load at the moment of a choice. */
    public interface Candidate {
        HostSpec spec();

        /** Live jobs of the pool there: every server's, when servers share the state. */
        long pool();

        /** Live jobs of this server there (equal to {@link #pool()} for one server). */
        long mine();

        /** Other ffmpeg processes seen there by the last poll. */
        long foreign();
    }

    /**
     * The host the next job goes to: among the candidates {@code allowed} accepts, the one that
     * ranks first. A candidate is eligible (up, not drained), under its {@code max_jobs} (the
     * pool's and foreign jobs count) and under its channel capacity (this server's jobs only:
     * each server has its own SSH connections). Both books choose here, so the formula and its
     * tie-breaks exist once.
     *
     * @return the chosen host, or null when none is a candidate
     */
    public static <C extends Candidate> C choose(Iterable<C> hosts, LongPredicate allowed) {
        C best = null;
        long bestScore = 0;
        for (C host : hosts) {
            HostSpec spec = host.spec();
            if (!spec.eligible() || !allowed.test(spec.id())) {
                continue;
            }
            long active = host.pool() + host.foreign();
            if ((spec.maxJobs() != 0 && active >= spec.maxJobs()) || (spec.maxOwn() != 0 && host.mine() >= spec.maxOwn())) {
                continue;
            }
            long score = score(active, spec.weight());
            if (best == null || compare(score, spec.weight(), spec.id(), bestScore, best.spec().weight(), best.spec().id()) < 0) {
                best = host;
                bestScore = score;
            }
        }
        return best;
    }

    /**
     * Negative when host a ranks before host b. Takes the fields, not objects, so the
     * balancer can rank without allocating.
     */
    public static int compare(long scoreA, int weightA, long idA, long scoreB, int weightB, long idB) {
        if (scoreA != scoreB) {
            return Long.compare(scoreA, scoreB);
        }
        if (weightA != weightB) {
            return Integer.compare(weightB, weightA);
        }
        return Long.compare(idA, idB);
    }
}
