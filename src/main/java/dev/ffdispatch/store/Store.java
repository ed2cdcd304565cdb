package dev.ffdispatch.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ffdispatch.caps.ProbeAnswer;
import dev.ffdispatch.config.DatabaseLocation;
import dev.ffdispatch.config.StateConfig;
import dev.ffdispatch.ssh.KnownHostsSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.ffdispatch.store.StoreException.Kind.DUPLICATE;
import static dev.ffdispatch.store.StoreException.Kind.IN_USE;
import static dev.ffdispatch.store.StoreException.Kind.INVALID;
import static dev.ffdispatch.store.StoreException.Kind.IO;
import static dev.ffdispatch.store.StoreException.Kind.UNKNOWN;

/**
 * The state: hosts, job history, host events, pinned host keys, and (with PostgreSQL) the
 * reservations of every server sharing the pool. One SQL for both engines; {@link Engine} holds
 * what differs (connections, transactions, schema version, errors). Thread-safe. Times are stored
 * as epoch milliseconds.
 */
public final class Store implements AutoCloseable {
    /** How long a SQLite write waits for another process's write to finish. */
    public static final Duration BUSY_TIMEOUT = Duration.ofSeconds(10);
    /** The variable the PostgreSQL password is read from when neither the URL nor state.password_file has one. */
    public static final String PASSWORD_VARIABLE = "PGPASSWORD";
    /** Connections of a CLI command's store; the daemon asks for more. */
    public static final int CLI_CONNECTIONS = 2;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HOST_COLUMNS =
            "id, name, address, port, \"user\", weight, max_jobs, ffmpeg, ffprobe, mappings, drained, created,"
            + " wake_mac, wake_to";
    private static final String JOB_COLUMNS =
            "id, tool, host, command, pid, started, ended, exit_code, state, fallback_reason, run_id, server";

    /** Rows per pruning transaction: milliseconds of write lock each. */
    private static final int PRUNE_BATCH = 1000;

    private final Engine engine;

    private Store(Engine engine) {
        this.engine = engine;
    }

    /**
     * Opens (creating if needed) a SQLite database, its parent directories and the latest schema.
     *
     * @throws StoreException IO when the file cannot be opened, INVALID when its schema is newer than this program
     */
    public static Store open(Path dbFile) {
        return open(dbFile, BUSY_TIMEOUT);
    }

    /** Like {@link #open(Path)} with another busy timeout (tests that hold the lock on purpose). */
    public static Store open(Path dbFile, Duration busyTimeout) {
        return migrated(SqliteEngine.open(dbFile, busyTimeout));
    }

    /** Opens what {@code state.database} names, as a CLI command does (password from this process's environment). */
    public static Store open(StateConfig state) {
        return open(state, System.getenv(), CLI_CONNECTIONS);
    }

    /**
     * Opens what {@code state.database} names: a SQLite file, or a PostgreSQL database whose
     * password comes from the URL, else {@code state.password_file}, else {@value #PASSWORD_VARIABLE}
     * in {@code env}.
     *
     * @param connections PostgreSQL connections at most (SQLite has one)
     * @throws StoreException UNAVAILABLE when the PostgreSQL server cannot be reached
     */
    public static Store open(StateConfig state, Map<String, String> env, int connections) {
        DatabaseLocation location = state.location();
        if (location instanceof DatabaseLocation.SqliteFile sqlite) {
            return open(sqlite.file());
        }
        DatabaseLocation.Postgres pg = (DatabaseLocation.Postgres) location;
        return migrated(PostgresEngine.open(pg.jdbcUrl(), pg.display(), pg.user(), password(pg, state.passwordFile(), env),
            "ffdispatch " + state.effectiveServerName(), connections));
    }

    private static Store migrated(Engine engine) {
        try {
            engine.migrate();
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
        return new Store(engine);
    }

    static String password(DatabaseLocation.Postgres pg, Path passwordFile, Map<String, String> env) {
        if (pg.password() != null) {
            return pg.password();
        }
        if (passwordFile != null) {
            try {
                String text = Files.readString(passwordFile, StandardCharsets.UTF_8);
                return text.lines().findFirst().orElse("");
            } catch (IOException e) {
                throw new StoreException(IO, "cannot read state.password_file " + passwordFile + ": " + e
                    + "; make it readable by the user ffdispatch runs as (chmod 640, group of that user)", e);
            }
        }
        return env.get(PASSWORD_VARIABLE);
    }

    /** Where the state is: the SQLite file, or the PostgreSQL URL without its password. */
    public String location() {
        return engine.describe();
    }

    /** "sqlite" or "postgresql". */
    public String engine() {
        return engine.kind();
    }

    /** True when several servers may share this state (PostgreSQL): reservations go through {@link #leases}. */
    public boolean shared() {
        return engine instanceof PostgresEngine;
    }

    /** The SQLite file. @throws IllegalStateException for PostgreSQL, which has none */
    public Path file() {
        if (engine instanceof SqliteEngine sqlite) {
            return sqlite.file();
        }
        throw new IllegalStateException("the state is on PostgreSQL (" + engine.describe() + "), not in a file");
    }

    /** This daemon run's shared reservations. @throws IllegalStateException for SQLite */
    public Leases leases(String runId, String server, Duration lease) {
        if (!shared()) {
            throw new IllegalStateException("reservations are shared only on PostgreSQL; SQLite keeps them in memory");
        }
        return new Leases(engine, runId, server, lease);
    }

    @Override
    public void close() {
        engine.close();
    }

    // ---- hosts ----

    /** All hosts, by id (the order they were added). */
    public List<HostRecord> hosts() {
        return engine.read("hosts", c -> queryHosts(c, "SELECT " + HOST_COLUMNS + " FROM hosts ORDER BY id"));
    }

    public Optional<HostRecord> host(String name) {
        return engine.read("host", c -> queryHosts(c, "SELECT " + HOST_COLUMNS + " FROM hosts WHERE name = ?", name)
                .stream().findFirst());
    }

    /** Like {@link #host(String)}, but a missing host is an error listing the known names. @throws StoreException UNKNOWN */
    public HostRecord requireHost(String name) {
        return engine.read("requireHost", c -> existing(c, name));
    }

    /** @throws StoreException DUPLICATE when the name is taken */
    public HostRecord addHost(NewHost h) {
        return engine.write("addHost", c -> {
            if (!queryHosts(c, "SELECT " + HOST_COLUMNS + " FROM hosts WHERE name = ?", h.name()).isEmpty()) {
                throw new StoreException(DUPLICATE, "host '" + h.name() + "' already exists; choose another --name,"
                        + " or change it with: ffdispatch host set " + h.name());
            }
            update(c, "INSERT INTO hosts (name, address, port, \"user\", weight, max_jobs, ffmpeg, ffprobe, mappings,"
                    + " drained, created, wake_mac, wake_to) VALUES (?,?,?,?,?,?,?,?,?,0,?,?,?)",
                    h.name(), h.address(), h.port(), h.user(), h.weight(), h.maxJobs(), h.ffmpeg(), h.ffprobe(),
                    mappingsJson(h.mappings()), Instant.now().toEpochMilli(), h.wake() == null ? null : h.wake().mac(),
                    h.wake() == null ? null : h.wake().to());
            bumpHostsVersion(c);
            return existing(c, h.name());
        });
    }

    /** Partial update; null fields of {@code c} stay. @throws StoreException UNKNOWN when no such host */
    public HostRecord updateHost(String name, HostChanges changes) {
        return engine.write("updateHost", c -> {
            HostRecord old = existing(c, name);
            if (changes.isEmpty()) {
                return old;
            }
            WakeOnLan wake = changes.wake() == null ? old.wake()
                    : changes.wake() == HostChanges.NO_WAKE ? null : changes.wake();
            update(c, "UPDATE hosts SET address = ?, port = ?, \"user\" = ?, weight = ?, max_jobs = ?, ffmpeg = ?,"
                    + " ffprobe = ?, mappings = coalesce(?, mappings), wake_mac = ?, wake_to = ? WHERE id = ?",
                    pick(changes.address(), old.address()), pick(changes.port(), old.port()),
                    clearable(changes.user(), old.user()), pick(changes.weight(), old.weight()),
                    changes.maxJobs() == null ? old.maxJobs() : changes.maxJobs() == 0 ? null : changes.maxJobs(),
                    clearable(changes.ffmpeg(), old.ffmpeg()), clearable(changes.ffprobe(), old.ffprobe()),
                    changes.mappings() == null ? null : mappingsJson(changes.mappings()),
                    wake == null ? null : wake.mac(), wake == null ? null : wake.to(), old.id());
            bumpHostsVersion(c);
            return existing(c, name);
        });
    }

    /** Drained hosts take no new jobs; running ones finish. @throws StoreException UNKNOWN */
    public void setDrained(String name, boolean drained) {
        engine.write("setDrained", c -> {
            HostRecord old = existing(c, name);
            update(c, "UPDATE hosts SET drained = ? WHERE id = ?", drained ? 1 : 0, old.id());
            bumpHostsVersion(c);
            return null;
        });
    }

    /**
     * Deletes the host and its capability profiles (its job history stays). A routing rule that
     * names it keeps the name, which then matches no host.
     *
     * @throws StoreException UNKNOWN; IN_USE when jobs are running there (on any server sharing the
     *     state), or a routing rule names it, and {@code force} is false
     */
    public void removeHost(String name, boolean force) {
        engine.write("removeHost", c -> {
            HostRecord old = existing(c, name);
            long running = count(c, "SELECT count(*) FROM jobs WHERE host = ? AND state = 'running'", name);
            if (running > 0 && !force) {
                throw new StoreException(IN_USE, "host '" + name + "' has " + running + " running job(s); drain it"
                        + " (ffdispatch host drain " + name + "), wait for them to end, or remove it with --force");
            }
            List<Long> routes = RouteRows.all(c).stream().filter(r -> r.hosts().contains(name)).map(RouteRecord::id).toList();
            if (!routes.isEmpty() && !force) {
                throw new StoreException(IN_USE, "host '" + name + "' is named by routing rule(s) " + routes
                        + "; remove them first (" + String.join("; ", routes.stream().map(id -> "ffdispatch route remove "
                        + id).toList()) + "), or remove the host with --force (the rules then name a host that is gone)");
            }
            update(c, "DELETE FROM hosts WHERE id = ?", old.id());
            ProfileRows.delete(c, ProfileRecord.host(old.id()), null);
            bumpHostsVersion(c);
            return null;
        });
    }

    /** Changes whenever the hosts table changed, in any process on any server. Cheap: one indexed row. */
    public long changeCounter() {
        return engine.read("changeCounter", c -> count(c, "SELECT value FROM meta WHERE key = 'hosts_version'"));
    }

    // ---- pinned host keys (shared with the state on PostgreSQL) ----

    /** The pinned host keys as known_hosts lines, in the order they were pinned. */
    public List<String> knownHostLines() {
        return engine.read("knownHostLines", c -> {
            List<String> lines = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT line FROM known_hosts ORDER BY id");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    lines.add(rs.getString(1));
                }
            }
            return lines;
        });
    }

    /**
     * Replaces the pinned (not {@code @revoked}) lines of {@code pattern} by {@code line}, in one
     * transaction; {@code @revoked} lines stay.
     */
    public void pinKnownHost(String pattern, String line) {
        engine.write("pinKnownHost", c -> {
            update(c, "DELETE FROM known_hosts WHERE pattern = ? AND line NOT LIKE '@%'", pattern);
            update(c, "INSERT INTO known_hosts (pattern, line) VALUES (?, ?)", pattern, line);
            return null;
        });
    }

    /**
     * Where pinned host keys live for this state: the managed known_hosts {@code file} with
     * SQLite (one server), the {@code known_hosts} table with PostgreSQL, so a key pinned through
     * one server is trusted by every server sharing the pool.
     */
    public KnownHostsSource knownHosts(Path file) {
        if (!shared()) {
            return KnownHostsSource.file(file);
        }
        return KnownHostsSource.of("the known_hosts table of " + location(), () -> {
            try {
                return knownHostLines();
            } catch (StoreException e) {
                throw new IOException(e.getMessage(), e);
            }
        }, (pattern, line) -> {
            try {
                pinKnownHost(pattern, line);
            } catch (StoreException e) {
                throw new IOException(e.getMessage(), e);
            }
        });
    }

    // ---- capability profiles ----

    /** Every stored profile, with its answers. */
    public List<ProfileRecord> profiles() {
        return engine.read("profiles", c -> ProfileRows.load(c, null));
    }

    /** The profiles of one machine ({@link ProfileRecord#host}, {@link ProfileRecord#local}). */
    public List<ProfileRecord> profiles(String machine) {
        return engine.read("profiles", c -> ProfileRows.load(c, machine));
    }

    /** Replaces the profile of the record's machine and tool, answers and all. */
    public void saveProfile(ProfileRecord profile) {
        engine.write("saveProfile", c -> {
            ProfileRows.save(c, profile);
            return null;
        });
    }

    /**
     * Adds one answer (a probe asked for the first time) to the profile of the binary
     * {@code identity} describes; a stored profile of another binary is replaced.
     */
    public void addProbeAnswer(ProfileRecord identity, String probe, ProbeAnswer answer) {
        engine.write("addProbeAnswer", c -> {
            ProfileRows.addAnswer(c, identity, probe, answer);
            return null;
        });
    }

    /**
     * Deletes the stored profiles of {@code machine}, so the daemon learns them again (after a
     * library upgrade that left the binary itself unchanged). Returns how many there were.
     */
    public int forgetProfiles(String machine) {
        return engine.write("forgetProfiles", c -> {
            int n = ProfileRows.delete(c, machine, null);
            update(c, "UPDATE meta SET value = value + 1 WHERE key = 'profiles_version'");
            return n;
        });
    }

    /** Changes whenever profiles were forgotten on request, in any process. */
    public long profilesCounter() {
        return engine.read("profilesCounter", c -> count(c, "SELECT value FROM meta WHERE key = 'profiles_version'"));
    }

    // ---- routing rules (shared by every server of the pool with PostgreSQL) ----

    /** Every routing rule, in the order they are tried. */
    public List<RouteRecord> routes() {
        return engine.read("routes", RouteRows::all);
    }

    /**
     * Adds a rule after the existing ones.
     *
     * @throws StoreException INVALID for a bad pattern; UNKNOWN for a host name that is neither a
     *     host nor {@value RouteRecord#LOCAL}
     */
    public RouteRecord addRoute(String pattern, List<String> hosts) {
        RouteRecord route = new RouteRecord(0, pattern, hosts, Instant.ofEpochMilli(System.currentTimeMillis()));
        return engine.write("addRoute", c -> {
            for (String host : route.hosts()) {
                if (!host.equals(RouteRecord.LOCAL)) {
                    existing(c, host);
                }
            }
            long id = RouteRows.add(c, route);
            update(c, "UPDATE meta SET value = value + 1 WHERE key = 'routes_version'");
            return new RouteRecord(id, route.pattern(), route.hosts(), route.created());
        });
    }

    /** @throws StoreException UNKNOWN when no rule has {@code id} */
    public void removeRoute(long id) {
        engine.write("removeRoute", c -> {
            if (RouteRows.remove(c, id) == 0) {
                List<Long> ids = RouteRows.all(c).stream().map(RouteRecord::id).toList();
                throw new StoreException(UNKNOWN, "no routing rule has id " + id + "; "
                        + (ids.isEmpty() ? "there are none" : "the rules are " + ids + " (ffdispatch route list)"));
            }
            update(c, "UPDATE meta SET value = value + 1 WHERE key = 'routes_version'");
            return null;
        });
    }

    /** Changes whenever the routing rules changed, in any process on any server. */
    public long routesCounter() {
        return engine.read("routesCounter", c -> count(c, "SELECT value FROM meta WHERE key = 'routes_version'"));
    }

    // ---- jobs ----

    /** Records a started job; returns its id. {@code host} is a host name or {@link HostRecord#LOCAL}; {@code server} the server that runs it. */
    public long jobStarted(String tool, String host, String command, Instant at, String runId, String server) {
        return engine.write("jobStarted", c -> count(c, "INSERT INTO jobs (tool, host, command, started, state, run_id,"
                + " server) VALUES (?,?,?,?,'running',?,?) RETURNING id", tool, host, command, at.toEpochMilli(), runId, server));
    }

    /** Like {@link #jobStarted(String, String, String, Instant, String, String)} with no server name (one server). */
    public long jobStarted(String tool, String host, String command, Instant at, String runId) {
        return jobStarted(tool, host, command, at, runId, null);
    }

    public void jobPid(long jobId, long pid) {
        engine.write("jobPid", c -> update(c, "UPDATE jobs SET pid = ? WHERE id = ?", pid, jobId));
    }

    /** @param outcome how it ended: any state but {@link JobState#RUNNING} */
    public void jobFinished(long jobId, Instant at, int exitCode, JobState outcome, String fallbackReason) {
        if (outcome == JobState.RUNNING) {
            throw new StoreException(INVALID, "job " + jobId + ": an ended job cannot be running; its outcome is one of"
                    + " ok, failed, cancelled, lost");
        }
        engine.write("jobFinished", c -> update(c, "UPDATE jobs SET ended = ?, exit_code = ?, state = ?,"
                        + " fallback_reason = coalesce(?, fallback_reason) WHERE id = ?",
                at.toEpochMilli(), exitCode, outcome.label(), fallbackReason, jobId));
    }

    /** Jobs still marked running, on every server. */
    public List<JobRecord> runningJobs() {
        return engine.read("runningJobs", c -> queryJobs(c, "SELECT " + JOB_COLUMNS + " FROM jobs WHERE state = 'running'"
                + " ORDER BY id"));
    }

    /**
     * Jobs still marked running that an earlier run of this server left behind (kill -9, power
     * loss): not of {@code currentRunId}, of no run that still holds a lease (a live daemon), and
     * of {@code server} (or of no server: written before servers had names).
     *
     * @param server this server's name when several share the state; null for one server, whose
     *     earlier runs' jobs are all its own whatever its name was then
     */
    public List<JobRecord> orphanedJobs(String currentRunId, String server) {
        return engine.read("orphanedJobs", c -> queryJobs(c, "SELECT " + JOB_COLUMNS + " FROM jobs WHERE state = 'running'"
                + " AND (run_id IS NULL OR run_id <> ?) AND (CAST(? AS TEXT) IS NULL OR server IS NULL OR server = ?)"
                + " AND (run_id IS NULL OR run_id NOT IN (SELECT run_id FROM daemons WHERE lease_until > ?)) ORDER BY id",
                currentRunId, server, server, Instant.now().toEpochMilli()));
    }

    public void markLost(long jobId, Instant at) {
        engine.write("markLost", c -> update(c, "UPDATE jobs SET ended = ?, state = 'lost' WHERE id = ? AND state = 'running'",
                at.toEpochMilli(), jobId));
    }

    /** Newest first. @param failedOnly only failed and lost jobs */
    public List<JobRecord> jobs(int limit, String hostOrNull, boolean failedOnly) {
        String sql = "SELECT " + JOB_COLUMNS + " FROM jobs WHERE (CAST(? AS TEXT) IS NULL OR host = ?)"
                + (failedOnly ? " AND state IN ('failed', 'lost')" : "") + " ORDER BY id DESC LIMIT ?";
        return engine.read("jobs", c -> queryJobs(c, sql, hostOrNull, hostOrNull, limit));
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
                "DELETE FROM jobs WHERE id IN (SELECT id FROM jobs WHERE state <> 'running' AND ended IS NOT NULL"
                        + " AND ended < ? LIMIT " + PRUNE_BATCH + ")",
                "DELETE FROM host_events WHERE id IN (SELECT id FROM host_events WHERE at < ? LIMIT " + PRUNE_BATCH + ")")) {
            int n;
            do {
                n = engine.write("pruneHistory", c -> update(c, sql, cutoff.toEpochMilli()));
                deleted += n;
            } while (n == PRUNE_BATCH);
        }
        return deleted;
    }

    // ---- host events ----

    public void hostEvent(String host, String from, String to, String reason, Instant at) {
        engine.write("hostEvent", c -> update(c, "INSERT INTO host_events (host, from_state, to_state, reason, at)"
                + " VALUES (?,?,?,?,?)", host, from, to, reason, at.toEpochMilli()));
    }

    /** Newest first. */
    public List<HostEvent> hostEvents(String hostOrNull, int limit) {
        return engine.read("hostEvents", c -> {
            List<HostEvent> events = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, host, from_state, to_state, reason, at"
                    + " FROM host_events WHERE (CAST(? AS TEXT) IS NULL OR host = ?) ORDER BY id DESC LIMIT ?")) {
                bind(ps, hostOrNull, hostOrNull, limit);
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

    private static HostRecord existing(Connection c, String name) throws SQLException {
        List<HostRecord> found = queryHosts(c, "SELECT " + HOST_COLUMNS + " FROM hosts WHERE name = ?", name);
        if (!found.isEmpty()) {
            return found.get(0);
        }
        List<String> names = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT name FROM hosts ORDER BY name")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        throw new StoreException(UNKNOWN, "host '" + name + "' is not known; "
                + (names.isEmpty() ? "no hosts exist yet (add one: ffdispatch host add <address>)"
                : "known hosts: " + String.join(", ", names)));
    }

    private static void bumpHostsVersion(Connection c) throws SQLException {
        update(c, "UPDATE meta SET value = value + 1 WHERE key = 'hosts_version'");
    }

    static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            return ps.executeUpdate();
        }
    }

    /** The first column of the first row as a number (0 when there is no row). */
    static long count(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            if (args[i] == null) {
                ps.setNull(i + 1, Types.NULL);
            } else {
                ps.setObject(i + 1, args[i]);
            }
        }
    }

    private static List<HostRecord> queryHosts(Connection c, String sql, Object... args) throws SQLException {
        List<HostRecord> hosts = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
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
                    WakeOnLan wake = null;
                    if (rs.getString(13) != null) {
                        try {
                            wake = new WakeOnLan(rs.getString(13), rs.getString(14));
                        } catch (StoreException e) {
                            // Written by hand in the database: the host works, it is just never woken.
                            problem = problem != null ? problem : "its Wake-on-LAN setting is not usable: " + e.getMessage()
                                    + "; fix: ffdispatch host set " + name + " --wake-mac <mac> (or --no-wake)";
                        }
                    }
                    if (HostRules.isReserved(name)) { // added before the name was reserved
                        problem = HostRules.reserved(name) + "; fix: ffdispatch host remove " + name
                                + ", then add it again with --name <name>";
                    }
                    hosts.add(new HostRecord(rs.getLong(1), name, rs.getString(3), rs.getInt(4),
                            rs.getString(5), rs.getInt(6), intOrNull(rs, 7), rs.getString(8), rs.getString(9),
                            mappings, rs.getInt(11) != 0, Instant.ofEpochMilli(rs.getLong(12)), problem, wake));
                }
            }
        }
        return hosts;
    }

    private static List<JobRecord> queryJobs(Connection c, String sql, Object... args) throws SQLException {
        List<JobRecord> jobs = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Long ended = longOrNull(rs, 7);
                    jobs.add(new JobRecord(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            longOrNull(rs, 5), Instant.ofEpochMilli(rs.getLong(6)),
                            ended == null ? null : Instant.ofEpochMilli(ended), intOrNull(rs, 8),
                            JobState.of(rs.getString(9)), rs.getString(10), rs.getString(11), rs.getString(12)));
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

    private static List<PathMap> parseMappings(String json) {
        try {
            return HostRules.mappings(JSON.readValue(json, new TypeReference<List<PathMap>>() { }));
        } catch (JsonProcessingException e) {
            Throwable cause = e.getCause() instanceof StoreException se ? se : e;
            throw new StoreException(INVALID, cause.getMessage().lines().findFirst().orElse(""), e);
        }
    }
}
