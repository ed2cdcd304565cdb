/**
 * The state: hosts, job history, host events, pinned host keys and schema migrations, in SQLite
 * (one server, the embedded default) or PostgreSQL (several servers sharing one worker pool, with
 * their reservations under leases: {@link dev.ffdispatch.store.Leases}).
 */
package dev.ffdispatch.store;
