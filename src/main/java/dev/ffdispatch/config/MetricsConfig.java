package dev.ffdispatch.config;

/**
 * {@code metrics.*}: the Prometheus endpoint.
 *
 * @param listen {@code metrics.listen}: "" = off, else {@code host:port} to serve {@code /metrics} on;
 *               a loopback address unless {@code allowRemote}
 * @param allowRemote {@code metrics.allow_remote}: true lets {@code listen} be an address other
 *               machines can reach (the endpoint has no authentication: host names, job counts)
 */
public record MetricsConfig(String listen, boolean allowRemote) {
}
