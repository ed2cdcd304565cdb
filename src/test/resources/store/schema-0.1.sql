-- The schema ffdispatch 0.1 created (store/Schema.java migration 0, PRAGMA user_version 1): a
-- frozen copy, so the upgrade test always starts from what 0.1 really wrote.
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
