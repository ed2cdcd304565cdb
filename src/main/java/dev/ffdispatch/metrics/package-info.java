/**
 * Micrometer registry, Prometheus endpoint and the metric names, all in one place:
 * {@link dev.ffdispatch.metrics.MetricNames} lists every metric, {@link dev.ffdispatch.metrics.PrometheusMetrics}
 * is the only binding of {@link dev.ffdispatch.metrics.DispatchMetrics}, and
 * {@link dev.ffdispatch.metrics.MetricsServer} serves {@code /metrics} on {@code metrics.listen}.
 */
package dev.ffdispatch.metrics;
