/**
 * The resident service: Unix socket server, job registry, routing, start/stop order, and the
 * wiring of every other component.
 */
package dev.ffdispatch.daemon;
