/**
 * SQLite state: hosts, job history, host events, schema migrations.
 */
package dev.ffdispatch.store;
