package dev.ffdispatch.config;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code state.*}: where ffdispatch keeps hosts, keys, job history and (shared) reservations.
 *
 * @param database     {@code state.database}: a file path (SQLite, one server) or
 *                     {@code postgresql://user@host:port/database} (state shared by several servers);
 *                     see {@link DatabaseLocation}
 * @param knownHosts   {@code state.known_hosts}: worker host keys, managed by ffdispatch (SQLite only:
 *                     with PostgreSQL the pinned keys live in the database, shared by every server)
 * @param passwordFile {@code state.password_file}: a file holding the PostgreSQL password (first
 *                     line), or null; the URL's own password wins, {@code PGPASSWORD} comes last
 * @param serverName   {@code state.server_name}: this server's name in the shared job history and
 *                     reservations; "" = the machine's host name
 * @param lease        {@code state.lease}: how long a server's reservations outlive it when it stops
 *                     renewing them (it was killed, or lost the database); renewed every third of it
 * @param whenAway     {@code state.when_away}: what new jobs do while PostgreSQL cannot be reached:
 *                     {@value #LAST_KNOWN} (placed by the last known state plus this server's own
 *                     jobs, merged when it is back) or {@value #LOCAL} (run on this machine)
 */
public record StateConfig(String database, Path knownHosts, Path passwordFile, String serverName, Duration lease,
                          String whenAway) {
    /** {@code state.when_away}: keep placing jobs on workers with the last known shared state. */
    public static final String LAST_KNOWN = "last_known";
    /** {@code state.when_away}: run new jobs on this machine until the database is back. */
    public static final String LOCAL = "local";
    /** Accepted values of {@code state.when_away}. */
    public static final List<String> WHEN_AWAY = List.of(LAST_KNOWN, LOCAL);
    /** Shorter than this and one slow renewal on a busy machine would expire a live server. */
    static final Duration MIN_LEASE = Duration.ofSeconds(3);
    static final int MAX_SERVER_NAME = 64;

    /** What {@link #database()} names, parsed; validate() has checked it parses. */
    public DatabaseLocation location() {
        return DatabaseLocation.parse(database);
    }

    /** {@link #serverName()}, or this machine's host name when it is "". */
    public String effectiveServerName() {
        if (!serverName.isBlank()) {
            return serverName;
        }
        try {
            // The kernel's name, not a DNS look-up that could hang at start-up.
            String name = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
            if (!name.isEmpty()) {
                return name;
            }
        } catch (IOException e) {
            // not Linux: ask Java
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    void validate() {
        if (database == null || database.isBlank()) {
            throw new ConfigException("state.database", "must not be empty: give a file path (SQLite) or a"
                + " postgresql://user@host:port/database URL");
        }
        try {
            location();
        } catch (IllegalArgumentException e) {
            throw new ConfigException("state.database", e.getMessage());
        }
        if (!WHEN_AWAY.contains(whenAway)) {
            throw new ConfigException("state.when_away", "value '" + whenAway + "' is not known; accepted: "
                + String.join(", ", WHEN_AWAY));
        }
        if (lease.compareTo(MIN_LEASE) < 0) {
            throw new ConfigException("state.lease", "duration " + Durations.format(lease) + " is shorter than "
                + Durations.format(MIN_LEASE) + "; a lease that short expires under a live server on a busy machine (e.g. 15s)");
        }
        if (serverName.length() > MAX_SERVER_NAME || serverName.chars().anyMatch(c -> c < 0x21 || c == 0x7f)) {
            throw new ConfigException("state.server_name", "value '" + serverName + "' must be at most "
                + MAX_SERVER_NAME + " printable characters without spaces (\"\" = this machine's host name)");
        }
    }
}
