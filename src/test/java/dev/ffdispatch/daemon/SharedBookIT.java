package dev.ffdispatch.daemon;

import dev.ffdispatch.PgServer;
import dev.ffdispatch.TestTimeouts;
import dev.ffdispatch.balance.HostLoad;
import dev.ffdispatch.balance.HostSpec;
import dev.ffdispatch.balance.Reservation;
import dev.ffdispatch.config.Config;
import dev.ffdispatch.config.StateConfig;
import dev.ffdispatch.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Several servers' books on one real PostgreSQL database, each with its own store (its own
 * connection pool), as separate daemons have: bursts spread by the formula across servers,
 * another server's jobs are never foreign, and a server that loses the database goes on and
 * merges what it did when the database is back.
 */
class SharedBookIT {
    private static final Duration LEASE = Duration.ofSeconds(3);
    private static final List<HostSpec> HOSTS = List.of(new HostSpec(1, "a", 4, 0, true, 31), new HostSpec(2, "b", 2, 0, true, 31));

    private PgServer pg;
    private String database;
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void database() throws Exception {
        pg = PgServer.shared();
        database = pg.newDatabase();
    }

    @AfterEach
    void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        pg.start(); // a test that stopped it must not leave it down for the next one
    }

    private SharedBook server(String name, String whenAway) {
        StateConfig d = Config.defaults().state();
        Store store = Store.open(new StateConfig(pg.url(database), d.knownHosts(), null, name, LEASE, whenAway), Map.of(), 3);
        open.add(store);
        SharedBook book = new SharedBook(store.leases(name + "-run", name, LEASE), StateConfig.LAST_KNOWN.equals(whenAway),
            LEASE, store.location(), Clock.systemUTC());
        open.add(book);
        book.setHosts(HOSTS);
        book.start();
        return book;
    }

    @Test
    void twoPlusTwoSimultaneousStartsOnTwoServersLandThreeToOneThreeTimes() throws Exception {
        SharedBook one = server("jf1", StateConfig.LAST_KNOWN);
        SharedBook two = server("jf2", StateConfig.LAST_KNOWN);
        ExecutorService starts = Executors.newFixedThreadPool(4);
        try {
            for (int run = 0; run < 3; run++) {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Reservation>> burst = new ArrayList<>();
                for (SharedBook book : List.of(one, two, one, two)) {
                    burst.add(starts.submit(() -> {
                        go.await();
                        return book.reserve(Set.of()).orElseThrow();
                    }));
                }
                go.countDown();
                Map<String, Integer> placed = new TreeMap<>();
                List<Reservation> held = new ArrayList<>();
                for (Future<Reservation> f : burst) {
                    Reservation r = f.get(TestTimeouts.MEDIUM.toMillis(), TimeUnit.MILLISECONDS);
                    held.add(r);
                    placed.merge(r.hostName(), 1, Integer::sum);
                }
                assertEquals(Map.of("a", 3, "b", 1), placed, "run " + run);
                held.forEach(Reservation::release);
                awaitLiveRows(0);
            }
        } finally {
            starts.shutdownNow();
        }
    }

    @Test
    void anotherServersJobsAreThePoolsNotForeign() throws Exception {
        SharedBook one = server("jf1", StateConfig.LAST_KNOWN);
        SharedBook two = server("jf2", StateConfig.LAST_KNOWN);
        one.reserve(Set.of()).orElseThrow(); // a
        one.reserve(Set.of()).orElseThrow(); // b
        two.reserve(Set.of()).orElseThrow(); // a
        // The probe of host a counts the 2 ffmpeg of both servers plus 1 nobody's.
        two.recordPoll(1, 3);
        one.recordPoll(1, 3);
        HostLoad aSeenByTwo = two.snapshot().get(0);
        assertEquals(2, aSeenByTwo.own(), "every server's jobs on a");
        assertEquals(1, aSeenByTwo.foreign(), "only the process nobody of the pool started");
        assertEquals(1, one.snapshot().get(0).foreign());
    }

    @Test
    void aServerThatLosesTheDatabasePlacesWithTheLastKnownStateAndMergesWhenItIsBack() throws Exception {
        SharedBook one = server("jf1", StateConfig.LAST_KNOWN);
        SharedBook two = server("jf2", StateConfig.LAST_KNOWN);
        two.reserve(Set.of()).orElseThrow(); // a, by the other server
        one.renew();
        awaitLiveRows(1);
        pg.stop();
        // The first choice finds the database gone; it and the next use what was known: a=1 (jf2's).
        Reservation first = one.reserve(Set.of()).orElseThrow();
        Reservation second = one.reserve(Set.of()).orElseThrow();
        assertTrue(one.away().isPresent());
        assertEquals(List.of("b", "a"), List.of(first.hostName(), second.hostName()), "a=1 known: b (-2) then a (496 < 498)");
        pg.start();
        long deadline = System.nanoTime() + TestTimeouts.MEDIUM.toNanos();
        do { // what each daemon's timer does every lease/3
            one.renew();
            two.renew();
            Thread.sleep(100);
        } while ((one.away().isPresent() || two.away().isPresent()) && System.nanoTime() < deadline);
        assertFalse(one.away().isPresent(), "back once a renewal gets through");
        awaitLiveRows(3); // jf2's one and the two jf1 placed while it was away
        first.release();
        second.release();
        awaitLiveRows(1);
    }

    @Test
    void whenAwayLocalNoHostIsChosenAndTheReasonSaysWhy() throws Exception {
        SharedBook one = server("jf1", StateConfig.LOCAL);
        pg.stop();
        assertEquals(Optional.empty(), one.reserve(Set.of()));
        String why = one.unavailable().orElseThrow();
        assertTrue(why.contains("is away since") && why.contains("state.when_away is local"), why);
    }

    private void awaitLiveRows(int expected) throws Exception {
        assertEquals(expected, pg.awaitCount(database, "SELECT count(*) FROM reservations", expected, TestTimeouts.MEDIUM),
            "reservation rows");
    }
}
