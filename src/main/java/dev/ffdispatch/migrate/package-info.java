/**
 * {@code ffdispatch import-rffmpeg}: reads an rffmpeg install (its YAML config and its SQLite
 * {@code hosts} table), maps what has an ffdispatch equivalent, and reports what has none.
 */
package dev.ffdispatch.migrate;
