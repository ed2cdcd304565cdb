package dev.ffdispatch.store;

import java.util.List;

/**
 * Versioned schema: migration {@code i} (0-based) takes {@code PRAGMA user_version} from i to i+1.
 * Append new migrations; never edit a released one.
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
            ALTER TABLE hosts ADD COLUMN wake_mac TEXT;
            ALTER TABLE hosts ADD COLUMN wake_to TEXT;
            """, """
            CREATE TABLE profiles (
              machine          TEXT NOT NULL,
              tool             TEXT NOT NULL,
              path             TEXT NOT NULL,
              size             INTEGER NOT NULL,
              modified         INTEGER NOT NULL,
              learned          INTEGER NOT NULL,
              working_hwaccels TEXT,
              PRIMARY KEY (machine, tool)
            );
            CREATE TABLE probe_answers (
              machine   TEXT NOT NULL,
              tool      TEXT NOT NULL,
              probe     TEXT NOT NULL,
              stdout    BLOB NOT NULL,
              stderr    BLOB NOT NULL,
              exit_code INTEGER NOT NULL,
              PRIMARY KEY (machine, tool, probe)
            );
            CREATE TABLE routes (
              id      INTEGER PRIMARY KEY AUTOINCREMENT,
              pattern TEXT NOT NULL,
              hosts   TEXT NOT NULL,
              created INTEGER NOT NULL
            );
            INSERT INTO meta (key, value) VALUES ('routes_version', 0);
            INSERT INTO meta (key, value) VALUES ('profiles_version', 0);
            """);

    private Schema() {
    }

    static int latest() {
        return MIGRATIONS.size();
    }
}
