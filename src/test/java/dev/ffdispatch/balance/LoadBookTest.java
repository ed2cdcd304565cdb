package dev.ffdispatch.balance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ffdispatch.TestTimeouts;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class LoadBookTest {

    @Test
    void workedExampleFromDesignSpreadsABAABAA() {
        LoadBook book = book(new HostSpec(1, "A", 4, 0, true), new HostSpec(2, "B", 2, 0, true));
        StringBuilder order = new StringBuilder();
        for (int i = 0; i < 7; i++) {
            order.append(book.reserve(Set.of()).orElseThrow().hostName());
        }
        assertEquals("ABAABAA", order.toString());
        assertEquals(Map.of(1L, 5, 2L, 2), ownCounts(book));
    }

    /**
     * The book against a naive model written straight from the formula: same sequence of
     * choices, same final counts, for any weights, foreign load, limits and burst.
     */
    @Property(tries = 300)
    void burstFollowsTheReferenceModel(
            @ForAll @Size(min = 1, max = 10) List<@IntRange(min = 1, max = 1000) Integer> weights,
            @ForAll @IntRange(min = 0, max = 1000) int burst,
            @ForAll @IntRange(min = 0, max = 3) int foreignSpread,
            @ForAll @IntRange(min = 0, max = 1) int limits,
            @ForAll Random random) {
        int n = weights.size();
        List<Long> ids = new ArrayList<>();
        random.longs(n * 4L, 1, 1_000_000).distinct().limit(n).forEach(ids::add);
        int[] foreign = new int[n];
        int[] maxJobs = new int[n];
        boolean[] eligible = new boolean[n];
        List<HostSpec> specs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            foreign[i] = foreignSpread == 0 ? 0 : random.nextInt(foreignSpread * 5 + 1);
            maxJobs[i] = limits == 0 ? 0 : random.nextInt(200);
            eligible[i] = random.nextInt(8) != 0;
            specs.add(new HostSpec(ids.get(i), "h" + i, weights.get(i), maxJobs[i], eligible[i]));
        }
        LoadBook book = new LoadBook();
        book.setHosts(specs);
        for (int i = 0; i < n; i++) {
            book.recordPoll(ids.get(i), foreign[i]);
        }

        ReferenceModel model = new ReferenceModel(ids, weights, foreign, maxJobs, eligible);
        for (int step = 0; step < burst; step++) {
            Optional<Long> expected = model.next();
            Optional<Long> actual = book.reserve(Set.of()).map(Reservation::hostId);
            assertEquals(expected, actual, "step " + step);
        }
        for (HostLoad load : book.snapshot()) {
            assertEquals(model.chosen(load.id()), load.own(), "own on " + load.name());
            assertEquals(Ranking.score(load.active(), load.weight()), load.score());
        }
    }

    @Test
    void equalWeightsGoToLowerIdFirst() {
        LoadBook book = book(new HostSpec(7, "late", 3, 0, true), new HostSpec(2, "early", 3, 0, true));
        assertEquals(2, book.reserve(Set.of()).orElseThrow().hostId());
        assertEquals(7, book.reserve(Set.of()).orElseThrow().hostId());
        assertEquals(2, book.reserve(Set.of()).orElseThrow().hostId());
    }

    @Test
    void equalScoreWithDifferentWeightGoesToHigherWeight() {
        // weight 500 with 1 job: 2 - 500 = -498; weight 1000 with 502 jobs: 502 - 1000 = -498.
        LoadBook book = book(new HostSpec(1, "half", 500, 0, true), new HostSpec(2, "full", 1000, 0, true));
        book.recordPoll(1, 1);
        book.recordPoll(2, 502);
        assertEquals(book.snapshot().get(0).score(), book.snapshot().get(1).score(), "the setup is a tie");
        assertEquals("full", book.reserve(Set.of()).orElseThrow().hostName());
    }

    @Test
    void maxJobsCountsOwnAndForeignAndIsNeverExceeded() {
        LoadBook book = book(new HostSpec(1, "capped", 100, 3, true), new HostSpec(2, "other", 1, 0, true));
        book.recordPoll(1, 1);
        assertEquals(1, book.reserve(Set.of()).orElseThrow().hostId());
        assertEquals(1, book.reserve(Set.of()).orElseThrow().hostId());
        assertEquals(2, book.reserve(Set.of()).orElseThrow().hostId(), "capped is full: 2 own + 1 foreign");
        assertEquals(List.of(2, 1), book.snapshot().stream().map(HostLoad::own).toList());
    }

    @Test
    void channelCapacityCountsOwnJobsOnlyAndSendsTheNextJobElsewhereAtOnce() {
        LoadBook book = book(new HostSpec(1, "big", 100, 0, true, 2), new HostSpec(2, "small", 1, 0, true));
        book.recordPoll(1, 5); // foreign ffmpeg uses no channel of ours
        assertEquals(1, book.reserve(Set.of()).orElseThrow().hostId());
        assertEquals(1, book.reserve(Set.of()).orElseThrow().hostId());
        assertEquals(2, book.reserve(Set.of()).orElseThrow().hostId(), "big carries 2 own jobs: its channels are full");
    }

    @Test
    void noCandidateGivesEmpty() {
        LoadBook book = book(new HostSpec(1, "full", 1, 1, true), new HostSpec(2, "off", 1, 0, false));
        assertTrue(book.reserve(Set.of()).isPresent());
        assertEquals(Optional.empty(), book.reserve(Set.of()));
        assertEquals(Optional.empty(), new LoadBook().reserve(Set.of()));
    }

    @Test
    void ineligibleHostsAreNeverChosenButKeepTheirJobs() {
        LoadBook book = book(new HostSpec(1, "best", 1000, 0, true), new HostSpec(2, "weak", 1, 0, true));
        Reservation running = book.reserve(Set.of()).orElseThrow();
        assertEquals(1, running.hostId());
        book.setEligible(1, false); // drained or down
        for (int i = 0; i < 20; i++) {
            assertEquals(2, book.reserve(Set.of()).orElseThrow().hostId());
        }
        assertEquals(1, book.snapshot().get(0).own(), "the drained host's job keeps its reservation");
        running.release();
        book.setEligible(1, true);
        assertEquals(1, book.reserve(Set.of()).orElseThrow().hostId());
    }

    @Test
    void excludedHostsAreSkipped() {
        LoadBook book = book(new HostSpec(1, "dead", 10, 0, true), new HostSpec(2, "next", 1, 0, true));
        assertEquals(2, book.reserve(Set.of(1L)).orElseThrow().hostId());
        assertEquals(Optional.empty(), book.reserve(Set.of(1L, 2L)));
    }

    @Test
    void foreignLoadPushesJobsElsewhere() {
        LoadBook book = book(new HostSpec(1, "busy", 2, 0, true), new HostSpec(2, "idle", 2, 0, true));
        book.recordPoll(1, 3);
        List<Long> chosen = IntStream.range(0, 3).mapToObj(i -> book.reserve(Set.of()).orElseThrow().hostId())
                .toList();
        assertEquals(List.of(2L, 2L, 2L), chosen);
        assertEquals(1, book.reserve(Set.of()).orElseThrow().hostId(), "3 vs 3: tie -> lower id");
    }

    @Test
    void pollSubtractsOwnJobsAndNeverGoesNegative() {
        LoadBook book = book(new HostSpec(1, "a", 1, 0, true));
        book.reserve(Set.of());
        book.reserve(Set.of());
        book.recordPoll(1, 5);
        assertEquals(3, book.snapshot().get(0).foreign());
        book.recordPoll(1, 1); // one of ours has not started its ffmpeg yet
        assertEquals(0, book.snapshot().get(0).foreign());
        book.recordPoll(99, 7); // removed meanwhile: ignored
    }

    @Test
    void releaseMakesAHostAttractiveAgainAndIsIdempotent() {
        LoadBook book = book(new HostSpec(1, "a", 2, 0, true), new HostSpec(2, "b", 2, 0, true));
        Reservation first = book.reserve(Set.of()).orElseThrow();
        Reservation second = book.reserve(Set.of()).orElseThrow();
        assertEquals(List.of(1L, 2L), List.of(first.hostId(), second.hostId()));
        book.reserve(Set.of()); // a again: a=2, b=1
        first.release();
        first.release();
        assertEquals(List.of(1, 1), book.snapshot().stream().map(HostLoad::own).toList());
        assertEquals(1, book.reserve(Set.of()).orElseThrow().hostId(), "tie again -> lower id");
    }

    @Test
    void setHostsKeepsCountsOfRemainingHostsAndForgetsRemovedOnes() {
        LoadBook book = book(new HostSpec(1, "stays", 1, 0, true), new HostSpec(2, "goes", 1, 0, true));
        Reservation onStays = book.reserve(Set.of()).orElseThrow();
        Reservation onGoes = book.reserve(Set.of()).orElseThrow();
        book.recordPoll(1, 4);
        book.setHosts(List.of(new HostSpec(1, "stays", 5, 0, true)));
        book.setHosts(List.of(new HostSpec(1, "stays", 5, 0, true), new HostSpec(2, "goes", 1, 0, true)));
        onGoes.release(); // belongs to the removed incarnation: must not touch the new one
        List<HostLoad> loads = book.snapshot();
        assertEquals(new HostLoad(1, "stays", 5, 0, true, 1, 3, Ranking.score(4, 5)), loads.get(0));
        assertEquals(0, loads.get(1).own());
        onStays.release();
        assertEquals(0, book.snapshot().get(0).own());
    }

    @Test
    void invalidSpecsAreRejectedWithTheBadValue() {
        IllegalArgumentException weight = assertThrows(IllegalArgumentException.class,
                () -> new HostSpec(1, "w1", 0, 0, true));
        assertTrue(weight.getMessage().contains("weight (0)"), weight.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new HostSpec(1, "w1", 1, -1, true));
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> book(new HostSpec(1, "a", 1, 0, true), new HostSpec(1, "b", 1, 0, true)));
        assertTrue(twice.getMessage().contains("host id 1"), twice.getMessage());
    }

    @Test
    void concurrentBurstEndsWithTheSameCountsAsSequential() throws Exception {
        List<HostSpec> specs = List.of(new HostSpec(1, "a", 4, 0, true), new HostSpec(2, "b", 2, 0, true),
                new HostSpec(3, "c", 7, 300, true), new HostSpec(4, "d", 1, 0, true),
                new HostSpec(5, "e", 10, 0, false));
        LoadBook sequential = new LoadBook();
        sequential.setHosts(specs);
        for (int i = 0; i < 16 * 100; i++) {
            sequential.reserve(Set.of());
        }

        LoadBook concurrent = new LoadBook();
        concurrent.setHosts(specs);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < 100; i++) {
                        concurrent.reserve(Set.of()).orElseThrow();
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get(TestTimeouts.SHORT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(ownCounts(sequential), ownCounts(concurrent));
        assertEquals(1600, ownCounts(concurrent).values().stream().mapToInt(Integer::intValue).sum());
        assertFalse(ownCounts(concurrent).get(5L) > 0);
    }

    private static LoadBook book(HostSpec... specs) {
        LoadBook book = new LoadBook();
        book.setHosts(List.of(specs));
        return book;
    }

    private static Map<Long, Integer> ownCounts(LoadBook book) {
        Map<Long, Integer> counts = new HashMap<>();
        book.snapshot().forEach(l -> counts.put(l.id(), l.own()));
        return counts;
    }

    /** Written from docs/workers.md ("How a worker is chosen") alone, step by step, with no code shared with the book. */
    private static final class ReferenceModel {
        private final List<long[]> hosts = new ArrayList<>(); // {id, weight, foreign, maxJobs, eligible, chosen}

        ReferenceModel(List<Long> ids, List<Integer> weights, int[] foreign, int[] maxJobs, boolean[] eligible) {
            for (int i = 0; i < ids.size(); i++) {
                hosts.add(new long[] {ids.get(i), weights.get(i), foreign[i], maxJobs[i], eligible[i] ? 1 : 0, 0});
            }
        }

        Optional<Long> next() {
            List<long[]> candidates = new ArrayList<>();
            for (long[] h : hosts) {
                long active = h[5] + h[2];
                boolean underLimit = h[3] == 0 || active < h[3];
                if (h[4] == 1 && underLimit) {
                    candidates.add(h);
                }
            }
            if (candidates.isEmpty()) {
                return Optional.empty();
            }
            Comparator<long[]> byScore = Comparator.comparingLong(h -> ((h[5] + h[2]) * 1000) / h[1] - h[1]);
            Comparator<long[]> order = byScore
                    .thenComparing(Comparator.comparingLong((long[] h) -> h[1]).reversed())
                    .thenComparingLong(h -> h[0]);
            long[] winner = Collections.min(candidates, order);
            winner[5]++;
            return Optional.of(winner[0]);
        }

        int chosen(long id) {
            return (int) hosts.stream().filter(h -> h[0] == id).findFirst().orElseThrow()[5];
        }
    }
}
