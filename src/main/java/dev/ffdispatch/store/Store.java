package dev.ffdispatch.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.Optional;

import static dev.ffdispatch.store.StoreException.Kind.BUSY;
import static dev.ffdispatch.store.StoreException.Kind.DUPLICATE;
import static dev.ffdispatch.store.StoreException.Kind.IN_USE;
import static dev.ffdispatch.store.StoreException.Kind.INVALID;
import static dev.ffdispatch.store.StoreException.Kind.IO;
import static dev.ffdispatch.store.StoreException.Kind.UNKNOWN;

/**
 * The SQLite state file: hosts, job history, host events.
 *
 * <p>Several processes (the daemon, any number of CLI calls) use one file at once. WAL lets readers
 * run beside the writer; every write is one short {@code BEGIN IMMEDIATE} transaction, so a writer
 * takes the write lock up front (waiting up to {@link #BUSY_TIMEOUT}) instead of upgrading a read
 * lock later, which SQLite would refuse at once with "database is locked". Thread-safe: one
 * connection, used by one thread at a time. Times are stored as epoch milliseconds.
 */
public final class Store implements AutoCloseable {
    /** How long a write waits for another process's write to finish. */
    public static final Duration BUSY_TIMEOUT = Duration.ofSeconds(10);

    private static final Logger log = LoggerFactory.getLogger(Store.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HOST_COLUMNS =
            "id, name, address, port, user, weight, max_jobs, ffmpeg, ffprobe, mappings, drained, created";
    private static final String JOB_COLUMNS =
            "id, tool, host, command, pid, started, ended, exit_code, state, fallback_reason, run_id";

    /** Rows per pruning transaction: milliseconds of write lock each. */
    private static final int PRUNE_BATCH = 1000;

    private final Path file;
    private final Connection conn;
    private final Duration busyTimeout;

    private Store(Path file, Connection conn, Duration busyTimeout) {
        this.file = file;
        this.conn = conn;
        this.busyTimeout = busyTimeout;
    }

    /**
     * Opens (creating if needed) the database, its parent directories and the latest schema.
     *
     * @throws StoreException IO when the file cannot be opened, INVALID when its schema is newer than this program
     */
    public static Store open(Path dbFile) {
        return open(dbFile, BUSY_TIMEOUT);
    }

    /** Like {@link #open(Path)} with another busy timeout (tests that hold the lock on purpose). */
    public static Store open(Path dbFile, Duration busyTimeout) {
        Path abs = dbFile.toAbsolutePath();
        try {
            if (abs.getParent() != null) {
                Files.createDirectories(abs.getParent());
            }
        } catch (IOException e) {
            throw new StoreException(IO, "cannot create directory " + abs.getParent() + " for database " + abs
                    + ": " + e.getMessage() + "; create it or set state.database", e);
        }
        restrictAccess(abs);
        SQLiteConfig cfg = new SQLiteConfig();
        cfg.setBusyTimeout((int) busyTimeout.toMillis());
        cfg.setJournalMode(SQLiteConfig.JournalMode.WAL);
        cfg.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        cfg.enforceForeignKeys(true);
        Connection conn;
        try {
            conn = cfg.createConnection("jdbc:sqlite:" + abs);
        } catch (SQLException e) {
            throw new StoreException(IO, "cannot open database " + abs + ": " + e.getMessage()
                    + "; check the path and its permissions (state.database)", e);
        }
        Store store = new Store(abs, conn, busyTimeout);
        try {
            store.migrate();
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        return store;
    }

    /** Owner read-write, group read, others nothing: the history holds full command lines (file names). */
    static final Set<PosixFilePermission> MODE = PosixFilePermissions.fromString("rw-r-----");

    /**
     * Creates the file 0640 before SQLite does (SQLite gives its -wal and -shm files the mode of
     * the database file), and takes away what others may do with an existing file of ours.
     */
    private static void restrictAccess(Path db) {
        try {
            Files.createFile(db, PosixFilePermissions.asFileAttribute(MODE));
            Files.setPosixFilePermissions(db, MODE); // the umask may have taken group read away
        } catch (FileAlreadyExistsException e) {
            for (String suffix : new String[] {"", "-wal", "-shm"}) {
                Path file = db.resolveSibling(db.getFileName() + suffix);
                if (Files.exists(file)) {
                    tighten(file);
                }
            }
        } catch (IOException | UnsupportedOperationException e) {
            log.warn("store(db={}) cannot create it with mode 0640: {}", db, e.toString());
        }
    }

    private static void tighten(Path db) {
        try {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(db);
            boolean others = mode.contains(PosixFilePermission.OTHERS_READ) || mode.contains(PosixFilePermission.OTHERS_WRITE);
            if (others) {
                Set<PosixFilePermission> tighter = EnumSet.copyOf(mode);
                tighter.removeAll(EnumSet.of(PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE,
                    PosixFilePermission.OTHERS_EXECUTE));
                Files.setPosixFilePermissions(db, tighter);
                log.info("store(db={}) others could read it (it holds command lines): mode now {}", db,
                    PosixFilePermissions.toString(tighter));
            }
        } catch (IOException | UnsupportedOperationException e) {
            // Not ours to change (another user's file, read-only mount): it stays as it is.
            log.debug("store(db={}) mode left as it is: {}", db, e.toString());
        }
    }

    /** The database file. */
    public Path file() {
        return file;
    }

    @Override
    public synchronized void close() {
        try {
            conn.close();
        } catch (SQLException e) {
            log.warn("store(db={}) close failed: {}", file, e.getMessage());
        }
    }

    private void migrate() {
        write("migrate", () -> {
            int version = userVersion();
            if (version > Schema.latest()) {
                throw new StoreException(INVALID, "database " + file + " has schema version " + version
                        + " but this ffdispatch knows only up to " + Schema.latest() + "; upgrade ffdispatch");
            }
            for (int v = version; v < Schema.latest(); v++) {
                try (Statement st = conn.createStatement()) {
                    st.executeUpdate(Schema.MIGRATIONS.get(v));
                    st.executeUpdate("PRAGMA user_version = " + (v + 1));
                }
                log.debug("store(db={}) migrated schema {} -> {}", file, v, v + 1);
            }
            return null;
        });
    }

    private int userVersion() throws SQLException {
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("PRAGMA user_version")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    // ---- hosts ----

    /** All hosts, by id (the order they were added). */
    public synchronized List<HostRecord> hosts() {
        return read("hosts", () -> queryHosts("SELECT " + HOST_COLUMNS + " FROM hosts ORDER BY id"));
    }

    public synchronized Optional<HostRecord> host(String name) {
        return read("host", () -> queryHosts("SELECT " + HOST_COLUMNS + " FROM hosts WHERE name = ?", name)
                .stream().findFirst());
    }

    /** Like {@link #host(String)}, but a missing host is an error listing the known names. @throws StoreException UNKNOWN */
    public synchronized HostRecord requireHost(String name) {
        return read("requireHost", () -> existing(name));
    }

    /** @throws StoreException DUPLICATE when the name is taken */
    public synchronized HostRecord addHost(NewHost h) {
        return write("addHost", () -> {
            if (!queryHosts("SELECT " + HOST_COLUMNS + " FROM hosts WHERE name = ?", h.name()).isEmpty()) {
                throw new StoreException(DUPLICATE, "host '" + h.name() + "' already exists; choose another --name,"
                        + " or change it with: ffdispatch host set " + h.name());
            }
            try (PreparedStatement ps = conn.prepareStatement("INSERT INTO hosts (name, address, port, user, weight,"
                    + " max_jobs, ffmpeg, ffprobe, mappings, drained, created) VALUES (?,?,?,?,?,?,?,?,?,0,?)")) {
                bind(ps, h.name(), h.address(), h.port(), h.user(), h.weight(), h.maxJobs(), h.ffmpeg(), h.ffprobe(),
                        mappingsJson(h.mappings()), Instant.now().toEpochMilli());
                ps.executeUpdate();
            }
            bumpHostsVersion();
            return existing(h.name());
        });
    }

    /** Partial update; null fields of {@code c} stay. @throws StoreException UNKNOWN when no such host */
    public synchronized HostRecord updateHost(String name, HostChanges c) {
        return write("updateHost", () -> {
            HostRecord old = existing(name);
            if (c.isEmpty()) {
                return old;
            }
            try (PreparedStatement ps = conn.prepareStatement("UPDATE hosts SET address = ?, port = ?, user = ?,"
                    + " weight = ?, max_jobs = ?, ffmpeg = ?, ffprobe = ?, mappings = coalesce(?, mappings) WHERE id = ?")) {
                bind(ps, pick(c.address(), old.address()), pick(c.port(), old.port()), clearable(c.user(), old.user()),
                        pick(c.weight(), old.weight()), c.maxJobs() == null ? old.maxJobs() : c.maxJobs() == 0 ? null : c.maxJobs(),
                        clearable(c.ffmpeg(), old.ffmpeg()), clearable(c.ffprobe(), old.ffprobe()),
                        c.mappings() == null ? null : mappingsJson(c.mappings()), old.id());
                ps.executeUpdate();
            }
            bumpHostsVersion();
            return existing(name);
        });
    }

    /** Drained hosts take no new jobs; running ones finish. @throws StoreException UNKNOWN */
    public synchronized void setDrained(String name, boolean drained) {
        write("setDrained", () -> {
            HostRecord old = existing(name);
            update("UPDATE hosts SET drained = ? WHERE id = ?", drained ? 1 : 0, old.id());
            bumpHostsVersion();
            return null;
        });
    }

    /**
     * Deletes the host (its job history stays).
     *
     * @throws StoreException UNKNOWN; IN_USE when jobs are running there and {@code force} is false
     */
    public synchronized void removeHost(String name, boolean force) {
        write("removeHost", () -> {
            HostRecord old = existing(name);
            long running = count("SELECT count(*) FROM jobs WHERE host = ? AND state = 'running'", name);
            if (running > 0 && !force) {
                throw new StoreException(IN_USE, "host '" + name + "' has " + running + " running job(s); drain it"
                        + " (ffdispatch host drain " + name + "), wait for them to end, or remove it with --force");
            }
            update("DELETE FROM hosts WHERE id = ?", old.id());
            bumpHostsVersion();
            return null;
        });
    }

    /** Changes whenever the hosts table changed, in any process. Cheap: one indexed row. */
    public synchronized long changeCounter() {
        return read("changeCounter", () -> count("SELECT value FROM meta WHERE key = 'hosts_version'"));
    }

    // ---- jobs ----

    /** Records a started job; returns its id. {@code host} is a host name or {@link HostRecord#LOCAL}. */
    public synchronized long jobStarted(String tool, String host, String command, Instant at, String runId) {
        return write("jobStarted", () -> {
            update("INSERT INTO jobs (tool, host, command, started, state, run_id) VALUES (?,?,?,?,'running',?)",
                    tool, host, command, at.toEpochMilli(), runId);
            return count("SELECT last_insert_rowid()");
        });
    }

    public synchronized void jobPid(long jobId, long pid) {
        write("jobPid", () -> update("UPDATE jobs SET pid = ? WHERE id = ?", pid, jobId));
    }

    /** @param outcome how it ended: any state but {@link JobState#RUNNING} */
    public synchronized void jobFinished(long jobId, Instant at, int exitCode, JobState outcome, String fallbackReason) {
        if (outcome == JobState.RUNNING) {
            throw new StoreException(INVALID, "job " + jobId + ": an ended job cannot be running; its outcome is one of"
                    + " ok, failed, cancelled, lost");
        }
        write("jobFinished", () -> update("UPDATE jobs SET ended = ?, exit_code = ?, state = ?,"
                        + " fallback_reason = coalesce(?, fallback_reason) WHERE id = ?",
                at.toEpochMilli(), exitCode, outcome.label(), fallbackReason, jobId));
    }

    /** Jobs still marked running (after a crash: what an earlier run left behind). */
    public synchronized List<JobRecord> runningJobs() {
        return read("runningJobs", () -> queryJobs("SELECT " + JOB_COLUMNS + " FROM jobs WHERE state = 'running'"
                + " ORDER BY id"));
    }

    public synchronized void markLost(long jobId, Instant at) {
        write("markLost", () -> update("UPDATE jobs SET ended = ?, state = 'lost' WHERE id = ? AND state = 'running'",
                at.toEpochMilli(), jobId));
    }

    /** Newest first. @param failedOnly only failed and lost jobs */
    public synchronized List<JobRecord> jobs(int limit, String hostOrNull, boolean failedOnly) {
        String sql = "SELECT " + JOB_COLUMNS + " FROM jobs WHERE (?1 IS NULL OR host = ?1)"
                + (failedOnly ? " AND state IN ('failed', 'lost')" : "") + " ORDER BY id DESC LIMIT ?2";
        return read("jobs", () -> queryJobs(sql, hostOrNull, limit));
    }

    /**
     * Deletes ended jobs and host events from before {@code cutoff}, in short transactions so the
     * write lock is never held long; running jobs stay whatever their age.
     *
     * @return rows deleted
     */
    public long pruneHistory(Instant cutoff) {
        long deleted = 0;
        for (String sql : List.of(
                "DELETE FROM jobs WHERE id IN (SELECT id FROM jobs WHERE state != 'running' AND ended IS NOT NULL"
                        + " AND ended < ? LIMIT " + PRUNE_BATCH + ")",
                "DELETE FROM host_events WHERE id IN (SELECT id FROM host_events WHERE at < ? LIMIT " + PRUNE_BATCH + ")")) {
            int n;
            do {
                synchronized (this) {
                    n = write("pruneHistory", () -> update(sql, cutoff.toEpochMilli()));
                }
                deleted += n;
            } while (n == PRUNE_BATCH);
        }
        return deleted;
    }

    // ---- host events ----

    public synchronized void hostEvent(String host, String from, String to, String reason, Instant at) {
        write("hostEvent", () -> update("INSERT INTO host_events (host, from_state, to_state, reason, at)"
                + " VALUES (?,?,?,?,?)", host, from, to, reason, at.toEpochMilli()));
    }

    /** Newest first. */
    public synchronized List<HostEvent> hostEvents(String hostOrNull, int limit) {
        return read("hostEvents", () -> {
            List<HostEvent> events = new ArrayList<>();
            try (PreparedStatement ps = conn.prepareStatement("SELECT id, host, from_state, to_state, reason, at"
                    + " FROM host_events WHERE (?1 IS NULL OR host = ?1) ORDER BY id DESC LIMIT ?2")) {
                bind(ps, hostOrNull, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        events.add(new HostEvent(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                rs.getString(5), Instant.ofEpochMilli(rs.getLong(6))));
                    }
                }
            }
            return events;
        });
    }

    // ---- plumbing ----

    @FunctionalInterface
    private interface Work<T> {
        T run() throws SQLException;
    }

    private <T> T read(String op, Work<T> work) {
        try {
            return work.run();
        } catch (SQLException e) {
            throw translate(op, e);
        }
    }

    /** One write transaction: BEGIN IMMEDIATE takes the write lock first, so nothing is half-written. */
    private <T> T write(String op, Work<T> work) {
        exec(op, "BEGIN IMMEDIATE");
        try {
            T result = work.run();
            exec(op, "COMMIT");
            return result;
        } catch (SQLException | RuntimeException e) {
            rollback(op);
            throw e instanceof StoreException se ? se : translate(op, e);
        }
    }

    private void exec(String op, String sql) {
        try (Statement st = conn.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw translate(op, e);
        }
    }

    private void rollback(String op) {
        try (Statement st = conn.createStatement()) {
            st.execute("ROLLBACK");
        } catch (SQLException e) {
            // No transaction left to roll back (SQLite may have rolled back by itself).
            log.debug("store(db={}) op={} rollback: {}", file, op, e.getMessage());
        }
    }

    private StoreException translate(String op, Exception e) {
        if (e instanceof SQLiteException s) {
            SQLiteErrorCode code = s.getResultCode();
            if (code == SQLiteErrorCode.SQLITE_BUSY || code == SQLiteErrorCode.SQLITE_LOCKED) {
                return new StoreException(BUSY, "database " + file + " stayed locked by another process for more than "
                        + busyTimeout.toMillis() + " ms (op=" + op + "); retry, and look for a stuck process: fuser " + file, e);
            }
            if (code == SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE) {
                return new StoreException(DUPLICATE, "database " + file + " refused a duplicate (op=" + op + "): "
                        + e.getMessage(), e);
            }
        }
        return new StoreException(IO, "database " + file + " failed (op=" + op + "): " + e.getMessage(), e);
    }

    private HostRecord existing(String name) throws SQLException {
        List<HostRecord> found = queryHosts("SELECT " + HOST_COLUMNS + " FROM hosts WHERE name = ?", name);
        if (!found.isEmpty()) {
            return found.get(0);
        }
        List<String> names = new ArrayList<>();
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT name FROM hosts ORDER BY name")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        throw new StoreException(UNKNOWN, "host '" + name + "' is not known; "
                + (names.isEmpty() ? "no hosts exist yet (add one: ffdispatch host add <address>)"
                : "known hosts: " + String.join(", ", names)));
    }

    private void bumpHostsVersion() throws SQLException {
        update("UPDATE meta SET value = value + 1 WHERE key = 'hosts_version'");
    }

    private int update(String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            bind(ps, args);
            return ps.executeUpdate();
        }
    }

    private long count(String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            if (args[i] == null) {
                ps.setNull(i + 1, Types.NULL);
            } else {
                ps.setObject(i + 1, args[i]);
            }
        }
    }

    private List<HostRecord> queryHosts(String sql, Object... args) throws SQLException {
        List<HostRecord> hosts = new ArrayList<>();
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString(2);
                    String json = rs.getString(10);
                    List<PathMap> mappings = List.of();
                    String problem = null;
                    try {
                        mappings = parseMappings(json);
                    } catch (StoreException e) {
                        // One unusable row (written by an older ffdispatch) must not hide the other hosts.
                        problem = "its path mappings " + json + " are not usable: " + e.getMessage()
                                + "; fix: ffdispatch host set " + name + " --map <local>=<remote> (or --no-maps)";
                    }
                    if (HostRules.isReserved(name)) { // added before the name was reserved
                        problem = HostRules.reserved(name) + "; fix: ffdispatch host remove " + name
                                + ", then add it again with --name <name>";
                    }
                    hosts.add(new HostRecord(rs.getLong(1), name, rs.getString(3), rs.getInt(4),
                            rs.getString(5), rs.getInt(6), intOrNull(rs, 7), rs.getString(8), rs.getString(9),
                            mappings, rs.getInt(11) != 0, Instant.ofEpochMilli(rs.getLong(12)), problem));
                }
            }
        }
        return hosts;
    }

    private List<JobRecord> queryJobs(String sql, Object... args) throws SQLException {
        List<JobRecord> jobs = new ArrayList<>();
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Long ended = longOrNull(rs, 7);
                    jobs.add(new JobRecord(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            longOrNull(rs, 5), Instant.ofEpochMilli(rs.getLong(6)),
                            ended == null ? null : Instant.ofEpochMilli(ended), intOrNull(rs, 8),
                            JobState.of(rs.getString(9)), rs.getString(10), rs.getString(11)));
                }
            }
        }
        return jobs;
    }

    private static Long longOrNull(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    private static Integer intOrNull(ResultSet rs, int column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }

    private static <T> T pick(T change, T old) {
        return change != null ? change : old;
    }

    /** null = keep, "" = back to the default (null). */
    private static String clearable(String change, String old) {
        return change == null ? old : change.isEmpty() ? null : change;
    }

    private static String mappingsJson(List<PathMap> mappings) {
        try {
            return JSON.writeValueAsString(mappings);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode mappings " + mappings, e);
        }
    }

    private List<PathMap> parseMappings(String json) {
        try {
            return HostRules.mappings(JSON.readValue(json, new TypeReference<List<PathMap>>() { }));
        } catch (JsonProcessingException e) {
            Throwable cause = e.getCause() instanceof StoreException se ? se : e;
            throw new StoreException(INVALID, cause.getMessage().lines().findFirst().orElse(""), e);
        }
    }
}
