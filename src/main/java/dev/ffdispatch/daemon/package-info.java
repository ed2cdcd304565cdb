/**
 * The resident service: Unix socket server, job registry, routing (rules, capability profiles and
 * the answers they give), start/stop order, and the wiring of every other component.
 */
package dev.ffdispatch.daemon;
