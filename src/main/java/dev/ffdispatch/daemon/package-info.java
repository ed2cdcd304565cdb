/**
 * The resident service and the composition root: Unix socket server, job registry, routing (rules,
 * capability profiles and the probe answers they give), start/stop order, the wiring of every other
 * component (the metrics endpoint included), and its admin API for the commands
 * ({@link dev.ffdispatch.daemon.StatusClient}, {@link dev.ffdispatch.daemon.StatusReply}).
 */
package dev.ffdispatch.daemon;
