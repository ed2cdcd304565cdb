/**
 * Micrometer registry, Prometheus endpoint and the metric names, all in one place.
 */
package dev.ffdispatch.metrics;
