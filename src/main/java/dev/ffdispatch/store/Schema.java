package dev.ffdispatch.store;

import java.util.List;

/**
 * The one versioned schema of both engines: migration {@code i} (0-based) takes the schema version
 * from i to i+1 (SQLite keeps it in {@code PRAGMA user_version}, as 0.1 did, so its databases
 * upgrade in place; PostgreSQL in a {@code schema_version} table). Written in the SQL both
 * engines read; {@link PostgresEngine#migration} spells the few differences. Append new
 * migrations; never edit a released one.
 *
 * <p>Why not Flyway: flyway-core 13 runs on Java 17 and its community edition reads SQLite, but
 * it would add a jar of about 800 kB and a class-path scan to every CLI call, would need a
 * baseline step for 0.1's {@code user_version} databases, and on SQLite takes no lock between two
 * processes migrating at once; the few lines here take SQLite's write lock and PostgreSQL's
 * advisory lock instead.
 */
final class Schema {
    static final List<String> MIGRATIONS = List.of("""
            CREATE TABLE meta (
              key   TEXT PRIMARY KEY,
              value INTEGER NOT NULL
            );
            INSERT INTO meta (key, value) VALUES ('hosts_version', 0);
            CREATE TABLE hosts (
              id       INTEGER PRIMARY KEY AUTOINCREMENT,
              name     TEXT NOT NULL UNIQUE,
              address  TEXT NOT NULL,
              port     INTEGER NOT NULL CHECK (port BETWEEN 1 AND 65535),
              user     TEXT,
              weight   INTEGER NOT NULL CHECK (weight >= 1),
              max_jobs INTEGER CHECK (max_jobs IS NULL OR max_jobs >= 1),
              ffmpeg   TEXT,
              ffprobe  TEXT,
              mappings TEXT NOT NULL DEFAULT '[]',
              drained  INTEGER NOT NULL DEFAULT 0 CHECK (drained IN (0, 1)),
              created  INTEGER NOT NULL
            );
            CREATE TABLE jobs (
              id              INTEGER PRIMARY KEY AUTOINCREMENT,
              tool            TEXT NOT NULL,
              host            TEXT NOT NULL,
              command         TEXT NOT NULL,
              pid             INTEGER,
              started         INTEGER NOT NULL,
              ended           INTEGER,
              exit_code       INTEGER,
              state           TEXT NOT NULL DEFAULT 'running'
                              CHECK (state IN ('running', 'ok', 'failed', 'cancelled', 'lost')),
              fallback_reason TEXT,
              run_id          TEXT
            );
            CREATE INDEX jobs_running ON jobs (state) WHERE state = 'running';
            CREATE INDEX jobs_by_host ON jobs (host, id);
            CREATE TABLE host_events (
              id     INTEGER PRIMARY KEY AUTOINCREMENT,
              host   TEXT NOT NULL,
              from_state TEXT,
              to_state   TEXT NOT NULL,
              reason TEXT,
              at     INTEGER NOT NULL
            );
            CREATE INDEX host_events_by_host ON host_events (host, id);
            """, """
            ALTER TABLE jobs ADD COLUMN server TEXT;
            CREATE TABLE daemons (
              run_id      TEXT PRIMARY KEY,
              server      TEXT NOT NULL,
              pid         INTEGER,
              started     INTEGER NOT NULL,
              lease_until INTEGER NOT NULL
            );
            CREATE TABLE reservations (
              run_id  TEXT NOT NULL,
              seq     INTEGER NOT NULL,
              host_id INTEGER NOT NULL,
              since   INTEGER NOT NULL,
              PRIMARY KEY (run_id, seq)
            );
            CREATE INDEX reservations_by_host ON reservations (host_id);
            CREATE TABLE reservation_counts (
              run_id  TEXT NOT NULL,
              host_id INTEGER NOT NULL,
              sign    INTEGER NOT NULL CHECK (sign IN (1, -1)),
              jobs    INTEGER NOT NULL,
              PRIMARY KEY (run_id, host_id, sign)
            );
            CREATE TABLE known_hosts (
              id      INTEGER PRIMARY KEY AUTOINCREMENT,
              pattern TEXT NOT NULL,
              line    TEXT NOT NULL
            );
            CREATE INDEX known_hosts_by_pattern ON known_hosts (pattern);
            """, """
            ALTER TABLE hosts ADD COLUMN wake_mac TEXT;
            ALTER TABLE hosts ADD COLUMN wake_to TEXT;
            """);

    private Schema() {
    }

    static int latest() {
        return MIGRATIONS.size();
    }
}
