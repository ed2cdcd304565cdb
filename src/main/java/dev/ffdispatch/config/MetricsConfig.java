package dev.ffdispatch.config;

/**
 * {@code metrics.*}: the Prometheus endpoint.
 *
 * @param listen {@code metrics.listen}: "" = off, else {@code host:port} to serve {@code /metrics} on
 */
public record MetricsConfig(String listen) {
}
