package dev.ffdispatch.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One daemon run's reservations in the state shared by several servers (PostgreSQL).
 *
 * <p>Every live job of every server is a row of {@code reservations}, with counts per server and
 * host in {@code reservation_counts} kept in the same statements, so that a choice reads a few
 * rows whatever the number of live jobs. Starts and ends are counted on separate rows (sign +1
 * and -1): a release never holds a row that a choice, under the pool lock, must wait for. The
 * lease is on the server's row in {@code daemons}, renewed by its owner. A reservation counts while its run's
 * lease has not run out, so a server killed with SIGKILL stops holding places within one lease;
 * the next renewal of any server deletes its rows. Times are the database's clock, so servers
 * whose clocks differ still agree on what has expired.
 *
 * <p>Choosing a host is one short transaction serialized per pool by an advisory lock: it
 * counts every server's live jobs, lets the caller rank them, and inserts the chosen row before
 * the lock is released, so a burst of starts on several servers spreads exactly as on one.
 */
public final class Leases {
    /** pg_advisory_xact_lock key of host choices in this database: one pool per database ("ffd-pool"). */
    static final long POOL_LOCK = 0x6666642d706f6f6cL;
    private static final String NOW_MS = "CAST(extract(epoch FROM clock_timestamp()) * 1000 AS BIGINT)";
    /** Per (run, host) counts kept beside the rows: a choice reads servers x hosts rows, not every live job. */
    private static final String LIVE = "SELECT n.host_id, sum(n.sign * n.jobs) FROM reservation_counts n JOIN daemons d"
        + " ON d.run_id = n.run_id WHERE d.lease_until > " + NOW_MS;

    private final Engine engine;
    private final String runId;
    private final String server;
    private final long leaseMs;

    Leases(Engine engine, String runId, String server, Duration lease) {
        this.engine = engine;
        this.runId = runId;
        this.server = server;
        this.leaseMs = lease.toMillis();
    }

    /** The reservation could not be made because this run's lease had run out (the database was away too long). */
    public static final class LeaseLostException extends StoreException {
        private static final long serialVersionUID = 1L;

        LeaseLostException(String message) {
            super(Kind.UNAVAILABLE, message);
        }
    }

    public String runId() {
        return runId;
    }

    /**
     * Takes (or takes again) this run's lease and makes its rows exactly {@code live} (sequence
     * number to host id): after the database was away, what this server did meanwhile is merged.
     *
     * @param live called under the pool lock, so no choice of this server runs between it and the rows
     */
    public void resync(Supplier<Map<Long, Long>> live, long pid) {
        engine.write("leases.resync", c -> {
            lockPool(c);
            Store.update(c, "INSERT INTO daemons (run_id, server, pid, started, lease_until) VALUES (?, ?, ?, " + NOW_MS
                + ", " + NOW_MS + " + ?) ON CONFLICT (run_id) DO UPDATE SET lease_until = EXCLUDED.lease_until",
                runId, server, pid, leaseMs);
            Store.update(c, "DELETE FROM reservations WHERE run_id = ?", runId);
            Store.update(c, "DELETE FROM reservation_counts WHERE run_id = ?", runId);
            Map<Long, Long> rows = live.get();
            Map<Long, Long> counts = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO reservations (run_id, seq, host_id, since)"
                    + " VALUES (?, ?, ?, " + NOW_MS + ")")) {
                for (Map.Entry<Long, Long> e : rows.entrySet()) {
                    Store.bind(ps, runId, e.getKey(), e.getValue());
                    ps.addBatch();
                    counts.merge(e.getValue(), 1L, Long::sum);
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO reservation_counts (run_id, host_id, sign, jobs)"
                    + " VALUES (?, ?, 1, ?)")) {
                for (Map.Entry<Long, Long> e : counts.entrySet()) {
                    Store.bind(ps, runId, e.getKey(), e.getValue());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    /**
     * Renews this run's lease and deletes the rows of runs whose lease ran out.
     *
     * @return false when this run's row was gone (its lease ran out and another server collected
     *     it): call {@link #resync}
     */
    public boolean renew() {
        return engine.write("leases.renew", c -> {
            int renewed = Store.update(c, "UPDATE daemons SET lease_until = " + NOW_MS + " + ? WHERE run_id = ?", leaseMs, runId);
            for (String table : new String[] {"reservations", "reservation_counts"}) {
                Store.update(c, "DELETE FROM " + table + " WHERE run_id IN (SELECT run_id FROM daemons WHERE lease_until <= "
                    + NOW_MS + ") OR run_id NOT IN (SELECT run_id FROM daemons)");
            }
            Store.update(c, "DELETE FROM daemons WHERE lease_until <= " + NOW_MS);
            return renewed == 1;
        });
    }

    /**
     * One host choice: takes the pool lock, counts every server's live jobs per host, asks
     * {@code choose} (which ranks, and records the choice in memory before the lock goes), and
     * inserts the reservation row of the chosen host as {@code seq}.
     *
     * @param choose live jobs per host id -> the chosen host id, or empty
     * @throws LeaseLostException when this run's lease had run out: {@link #resync}, then try again
     */
    public OptionalLong reserve(long seq, Function<Map<Long, Long>, OptionalLong> choose) {
        return engine.write("leases.reserve", c -> {
            lockPool(c);
            OptionalLong chosen = choose.apply(live(c, ""));
            // Row, count and lease in one statement: few round trips while the pool lock is held.
            int renewed = chosen.isPresent()
                ? Store.update(c, "WITH r AS (INSERT INTO reservations (run_id, seq, host_id, since) VALUES (?, ?, ?, " + NOW_MS
                    + ")), n AS (INSERT INTO reservation_counts (run_id, host_id, sign, jobs) VALUES (?, ?, 1, 1)"
                    + " ON CONFLICT (run_id, host_id, sign) DO UPDATE SET jobs = reservation_counts.jobs + 1)"
                    + " UPDATE daemons SET lease_until = " + NOW_MS + " + ? WHERE run_id = ?",
                    runId, seq, chosen.getAsLong(), runId, chosen.getAsLong(), leaseMs, runId)
                : Store.update(c, "UPDATE daemons SET lease_until = " + NOW_MS + " + ? WHERE run_id = ?", leaseMs, runId);
            if (renewed != 1) { // rolls the row back: counted without this run's own jobs, the choice is void
                throw new LeaseLostException("the lease of run " + runId + " ran out while the database was away");
            }
            return chosen;
        });
    }

    /**
     * Gives a place back; a row already gone (collected, or resynced away) is fine: the count
     * goes down only with the row, so a release is never counted twice.
     */
    public void release(long seq) {
        // One statement, committed on its own: one round trip. No disk wait at commit (see lockPool).
        engine.read("leases.release", c -> Store.update(c, "WITH s AS (SELECT set_config('synchronous_commit', 'off', true)),"
            + " r AS (DELETE FROM reservations WHERE run_id = ? AND seq = ? RETURNING host_id)"
            + " INSERT INTO reservation_counts (run_id, host_id, sign, jobs) SELECT ?, r.host_id, -1, 1 FROM r, s"
            + " ON CONFLICT (run_id, host_id, sign) DO UPDATE SET jobs = reservation_counts.jobs + 1", runId, seq, runId));
    }

    /** Every server's live jobs per host id, now (no lock: for display and foreign counts). */
    public Map<Long, Long> live() {
        return engine.read("leases.live", c -> live(c, ""));
    }

    /** Every server's live jobs on one host, now. */
    public long live(long hostId) {
        return engine.read("leases.liveOnHost", c -> live(c, " AND n.host_id = " + hostId).getOrDefault(hostId, 0L));
    }

    /** At a clean stop: this run holds nothing any more. */
    public void unregister() {
        engine.write("leases.unregister", c -> {
            Store.update(c, "DELETE FROM reservations WHERE run_id = ?", runId);
            Store.update(c, "DELETE FROM reservation_counts WHERE run_id = ?", runId);
            Store.update(c, "DELETE FROM daemons WHERE run_id = ?", runId);
            return null;
        });
    }

    private static Map<Long, Long> live(Connection c, String filter) throws SQLException {
        Map<Long, Long> counts = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(LIVE + filter + " GROUP BY n.host_id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                counts.put(rs.getLong(1), rs.getLong(2));
            }
        }
        return counts;
    }

    /**
     * Serializes host choices of the pool. Reservation rows need no wait for the disk at commit:
     * after a crash of the database server every server writes its rows again ({@link #resync}).
     */
    private static void lockPool(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT set_config('synchronous_commit', 'off', true), pg_advisory_xact_lock(?)")) {
            ps.setLong(1, POOL_LOCK);
            ps.executeQuery().close();
        }
    }
}
