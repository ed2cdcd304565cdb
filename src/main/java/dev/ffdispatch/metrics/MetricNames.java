package dev.ffdispatch.metrics;

/**
 * Every metric ffdispatch exports, in Micrometer's dotted form. The Prometheus name follows in
 * each line: dots become underscores, counters gain {@code _total}, timers are in seconds. The
 * Grafana dashboard (packaging/grafana/ffdispatch.json) uses the Prometheus names.
 */
public final class MetricNames {
    /** Tag: worker name, or {@code local} for this machine. */
    public static final String TAG_HOST = "host";
    /** Tag: {@code ffmpeg} or {@code ffprobe}. */
    public static final String TAG_TOOL = "tool";
    /** Tag: how a job ended: {@code ok}, {@code failed}, {@code cancelled} or {@code lost}. */
    public static final String TAG_OUTCOME = "outcome";
    /** Tag: why a job ran locally: {@code routing} (a routing rule) or {@code no_worker}. */
    public static final String TAG_REASON = "reason";

    /** {@code ffdispatch_jobs_started_total{host,tool}}: jobs started. */
    public static final String JOBS_STARTED = "ffdispatch.jobs.started";
    /** {@code ffdispatch_jobs_finished_total{host,tool,outcome}}: jobs ended. */
    public static final String JOBS_FINISHED = "ffdispatch.jobs.finished";
    /** {@code ffdispatch_job_duration_seconds{host,tool,outcome}}: how long jobs ran, start to end. */
    public static final String JOB_DURATION = "ffdispatch.job.duration";
    /** {@code ffdispatch_jobs_active{host}}: jobs running now. */
    public static final String JOBS_ACTIVE = "ffdispatch.jobs.active";
    /** {@code ffdispatch_dispatch_latency_seconds} (histogram): from the shim's request to the started process. */
    public static final String DISPATCH_LATENCY = "ffdispatch.dispatch.latency";
    /** {@code ffdispatch_fallbacks_total{reason}}: jobs run locally instead of on a worker. */
    public static final String FALLBACKS = "ffdispatch.fallbacks";
    /** {@code ffdispatch_host_up{host}}: 1 while the worker answers probes (up or drained), else 0. */
    public static final String HOST_UP = "ffdispatch.host.up";
    /** {@code ffdispatch_host_eligible{host}}: 1 while the worker may take new jobs (up and not drained; max_jobs aside). */
    public static final String HOST_ELIGIBLE = "ffdispatch.host.eligible";
    /** {@code ffdispatch_host_score{host}}: the ranking score {@code active*1000/weight - weight}; lowest gets the next job. */
    public static final String HOST_SCORE = "ffdispatch.host.score";
    /** {@code ffdispatch_host_foreign_jobs{host}}: ffmpeg processes on the worker that ffdispatch did not start. */
    public static final String HOST_FOREIGN = "ffdispatch.host.foreign.jobs";
    /** {@code ffdispatch_host_ffmpeg_processes{host}}: ffmpeg processes the last probe counted on the worker. */
    public static final String HOST_FFMPEG = "ffdispatch.host.ffmpeg.processes";
    /** {@code ffdispatch_poll_latency_seconds{host}} (histogram): round trip of one probe of a worker. */
    public static final String POLL_LATENCY = "ffdispatch.poll.latency";
    /**
     * {@code ffdispatch_host_login_shell_seconds{host}} (histogram): how long the worker's login shell
     * took to start its link (paid once per link; each job's channel pays it too).
     */
    public static final String LOGIN_SHELL = "ffdispatch.host.login.shell";
    /** {@code ffdispatch_host_flaps_total{host}}: times the worker went from answering (up or drained) to down. */
    public static final String HOST_FLAPS = "ffdispatch.host.flaps";
    /** {@code ffdispatch_host_wake_packets_total{host}}: Wake-on-LAN packets sent to the worker. */
    public static final String WAKE_PACKETS = "ffdispatch.host.wake.packets";
    /** {@code ffdispatch_ledger_write_failures_total}: job-history writes the database refused; each is kept and retried. */
    public static final String LEDGER_WRITE_FAILURES = "ffdispatch.ledger.write.failures";
    /** {@code ffdispatch_ledger_writes_pending}: job-history writes waiting in memory for the database. */
    public static final String LEDGER_PENDING = "ffdispatch.ledger.writes.pending";
    /** {@code ffdispatch_ledger_writes_dropped_total}: job-history writes given up (logged at ERROR with their content). */
    public static final String LEDGER_DROPPED = "ffdispatch.ledger.writes.dropped";

    private MetricNames() {
    }
}
