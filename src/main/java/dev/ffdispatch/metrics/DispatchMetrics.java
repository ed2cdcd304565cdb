package dev.ffdispatch.metrics;

import java.time.Duration;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * What the daemon reports about its work. Domain code calls this small interface; the
 * Micrometer binding is the only implementation that knows metric names.
 */
public interface DispatchMetrics {

    /** Reports nothing (tests, the CLI). */
    DispatchMetrics NOOP = new DispatchMetrics() {
    };

    /** A job began on {@code host} ("local" for this machine). */
    default void jobStarted(String host, String tool) {
    }

    /** A job ended; outcome is ok, failed, cancelled or lost. */
    default void jobFinished(String host, String tool, String outcome, Duration duration) {
    }

    /** Time from the shim's request to the started process. */
    default void dispatchLatency(Duration latency) {
    }

    /** A job ran locally instead of on a worker; reason is a short stable word. */
    default void fallback(String reason) {
    }

    /** One poll of a worker finished. */
    default void hostPolled(String host, int ffmpegCount, Duration latency) {
    }

    /** A worker's link started; {@code loginShell} is how long the worker's login shell took to start it. */
    default void loginShell(String host, Duration loginShell) {
    }

    /** A worker that answered went down (up or drained to down). */
    default void hostFlapped(String host) {
    }

    /** A Wake-on-LAN packet was sent to a worker. */
    default void wakeSent(String host) {
    }

    /** A history write failed; it stays in memory and is retried. */
    default void ledgerWriteFailed() {
    }

    /** A history write was given up: too many waiting, or the daemon stopped before the database took it. */
    default void ledgerWriteDropped() {
    }

    /** Where the gauge of history writes waiting in memory reads from. */
    default void bindLedgerBacklog(IntSupplier pending) {
    }

    /**
     * Where the per-host gauges (up, score, foreign load) read from: called at every scrape, so
     * the values are as fresh as the daemon's own view and removed hosts disappear.
     */
    default void bindHosts(Supplier<List<HostSample>> hosts) {
    }
}
