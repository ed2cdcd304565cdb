package dev.ffdispatch.daemon;

/** Why a job runs on this machine instead of a worker; the metric tags it with {@link #metric}. */
enum FallbackKind {
    /**
     * A routing rule keeps it here ({@code routing.local_tools}, {@code routing.local_patterns}, a
     * rule of {@code ffdispatch route} that names {@code local}).
     */
    ROUTING("routing"),
    /** Workers could take it, but none has what its arguments name; this machine's ffmpeg has. */
    CAPABILITIES("capabilities"),
    /** No worker could take it, or every candidate failed before it started. */
    NO_WORKER("no_worker");

    final String metric;

    FallbackKind(String metric) {
        this.metric = metric;
    }
}
