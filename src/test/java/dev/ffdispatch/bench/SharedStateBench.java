package dev.ffdispatch.bench;

import dev.ffdispatch.PgServer;
import dev.ffdispatch.balance.HostBook;
import dev.ffdispatch.balance.HostSpec;
import dev.ffdispatch.balance.LoadBook;
import dev.ffdispatch.balance.Reservation;
import dev.ffdispatch.config.Config;
import dev.ffdispatch.config.StateConfig;
import dev.ffdispatch.daemon.SharedBook;
import dev.ffdispatch.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Table 7 (issue 14): the decision latency of a host choice with the state on SQLite (one
 * server: the in-memory book) and on PostgreSQL on loopback shared by 1, 2 and 4 servers, with
 * 1000 live jobs in the pool. Each server is a real {@link SharedBook} with its own store (its
 * own connection pool), as a daemon has; they run in this JVM and choose at the same time, so
 * they contend for the pool's advisory lock as separate daemons do. Target: p99 under 5 ms.
 */
final class SharedStateBench {
    private static final int HOSTS = 10;
    private static final int LIVE_JOBS = 1000;
    private static final Duration LEASE = Duration.ofMinutes(10); // no renewal needed while measuring
    private static final double TARGET_P99_MS = 5.0;
    /** Paced rows: each server decides every 10 ms (100 starts/s per server, far beyond a real pool's load). */
    private static final long PACE_NANOS = 10_000_000L;

    private final BenchContext ctx;

    SharedStateBench(BenchContext ctx) {
        this.ctx = ctx;
    }

    void run() throws Exception {
        int decisions = ctx.pick(500, 2000);
        PgServer pg = PgServer.shared();
        Table table = new Table("7. Decision latency with the state on SQLite and on PostgreSQL (loopback), " + LIVE_JOBS
                + " live jobs, " + HOSTS + " hosts",
            "one decision = HostBook.reserve (PostgreSQL: lock, count every server's live jobs, rank, insert, commit);"
                + " each server runs " + decisions + " decisions after " + decisions / 4 + " warm-up ones, releasing each"
                + " at once (PostgreSQL: the release runs on the server's own thread meanwhile); servers choose at the same"
                + " time, back to back (every server choosing without pause: the worst case) or paced (one decision per"
                + " server every " + PACE_NANOS / 1_000_000 + " ms); PostgreSQL " + pg.version() + " from Debian, default"
                + " settings; ratios against SQLite's p50",
            "state", "servers", "pace", "decisions", "p50 µs", "p99 µs", "p99.9 µs", "max µs", "p50 vs SQLite", "p99 < 5 ms");
        Stats sqlite = measure(List.of(sqliteBook()), decisions, 0);
        row(table, "SQLite (in memory)", 1, "back to back", sqlite, sqlite);
        for (int servers : new int[] {1, 2, 4}) {
            String database = pg.newDatabase();
            List<AutoCloseable> open = new ArrayList<>();
            try {
                List<HostBook> books = new ArrayList<>();
                for (int s = 0; s < servers; s++) {
                    books.add(sharedBook(pg, database, "bench-" + s, open));
                }
                for (int j = 0; j < LIVE_JOBS; j++) {
                    books.get(j % servers).reserve(Set.of()).orElseThrow(); // held: the pool's live jobs
                }
                row(table, "PostgreSQL", servers, "back to back", measure(books, decisions, 0), sqlite);
                row(table, "PostgreSQL", servers, "paced", measure(books, decisions / 2, PACE_NANOS), sqlite);
            } finally {
                for (int i = open.size() - 1; i >= 0; i--) {
                    open.get(i).close();
                }
            }
        }
        table.note("SQLite cannot be shared by several servers: its row is one server. Each PostgreSQL server is a"
            + " SharedBook with its own HikariCP pool in this JVM, not a separate process.");
        table.print(ctx.out());
    }

    private static void row(Table table, String state, int servers, String pace, Stats s, Stats sqlite) {
        boolean met = s.percentile(99) < TARGET_P99_MS * 1000;
        table.row(state, servers, pace, s.count(), s.median(), s.percentile(99), s.percentile(99.9), s.percentile(100),
            Table.ratio(s.median(), sqlite.median()), met ? "yes" : "NO");
    }

    private static HostBook sqliteBook() {
        LoadBook book = new LoadBook();
        book.setHosts(hosts());
        for (int j = 0; j < LIVE_JOBS; j++) {
            book.reserve(Set.of()).orElseThrow();
        }
        return book;
    }

    private static HostBook sharedBook(PgServer pg, String database, String server, List<AutoCloseable> open) {
        StateConfig d = Config.defaults().state();
        Store store = Store.open(new StateConfig(pg.url(database), d.knownHosts(), null, server, LEASE,
            StateConfig.LAST_KNOWN), Map.of(), 3);
        open.add(store);
        SharedBook book = new SharedBook(store.leases(server + "-run", server, LEASE), true, LEASE, store.location(),
            Clock.systemUTC());
        open.add(book);
        book.setHosts(hosts());
        book.start();
        return book;
    }

    private static List<HostSpec> hosts() {
        List<HostSpec> specs = new ArrayList<>();
        for (int h = 1; h <= HOSTS; h++) {
            specs.add(new HostSpec(h, "h" + h, 1 + h % 4, 0, true, 0));
        }
        return specs;
    }

    /**
     * Every book chooses {@code n} times at once (after a warm-up), one decision every
     * {@code paceNanos} (0: back to back); the decision latencies in µs.
     */
    private static Stats measure(List<HostBook> books, int n, long paceNanos) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(books.size());
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<double[]>> results = new ArrayList<>();
            for (HostBook book : books) {
                results.add(threads.submit(() -> {
                    loop(book, n / 4, paceNanos);
                    start.await();
                    return loop(book, n, paceNanos);
                }));
            }
            start.countDown();
            List<Double> all = new ArrayList<>();
            for (Future<double[]> f : results) {
                for (double us : f.get()) {
                    all.add(us);
                }
            }
            return Stats.of(all);
        } finally {
            threads.shutdownNow();
        }
    }

    private static double[] loop(HostBook book, int n, long paceNanos) {
        double[] us = new double[n];
        long next = System.nanoTime() + (long) (Math.random() * paceNanos); // servers out of step, as real ones are
        for (int i = 0; i < n; i++) {
            if (paceNanos > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(next - System.nanoTime());
                next += paceNanos;
            }
            long t0 = System.nanoTime();
            Reservation r = book.reserve(Set.of()).orElseThrow();
            us[i] = (System.nanoTime() - t0) / 1e3;
            r.release();
        }
        return us;
    }
}
