package dev.ffdispatch.balance;

import java.util.Comparator;

/**
 * The ranking formula, in one place: {@code score = (active*1000)/weight - weight} in integer
 * arithmetic; lowest score wins, a tie goes to the higher weight, then to the lower id. Documented
 * for users in docs/workers.md, "How a worker is chosen".
 */
public final class Ranking {

    /** Best host first: the order {@link LoadBook#reserve} chooses by. */
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
