/**
 * The ranking of worker hosts: {@code (active*1000)/weight - weight}, lowest wins, with
 * reservations taken at the moment of choice ({@link dev.ffdispatch.balance.HostBook}; one
 * server keeps its book in memory: {@link dev.ffdispatch.balance.LoadBook}). Pure in-memory code,
 * no I/O, no dependencies.
 */
package dev.ffdispatch.balance;
