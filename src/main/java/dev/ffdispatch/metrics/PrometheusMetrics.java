package dev.ffdispatch.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Micrometer binding of {@link DispatchMetrics}, with a Prometheus registry and the JVM's
 * own metrics. Thread-safe. Host gauges are refreshed from the bound supplier at each
 * {@link #scrape()}, so they cost nothing between scrapes.
 */
public final class PrometheusMetrics implements DispatchMetrics, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PrometheusMetrics.class);
    /** Histogram buckets of the dispatch latency: a pooled start takes ~10 ms, a fresh login ~100s of ms. */
    private static final Duration[] LATENCY_BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10),
        Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
        Duration.ofSeconds(10)};

    /** Probe round trips: a link answers in a few ms; an exec per probe pays a login shell (0.1-2.5 s). */
    private static final Duration[] PROBE_BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
        Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
        Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500)};
    /** Login shells: /bin/sh takes milliseconds; pyenv or conda in ~/.bashrc 0.5-2.5 s. */
    private static final Duration[] LOGIN_BUCKETS = {Duration.ofMillis(10), Duration.ofMillis(50),
        Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final Map<String, AtomicInteger> active = new ConcurrentHashMap<>();
    private final Timer dispatchLatency;
    private final List<MultiGauge> hostGauges;
    private volatile Supplier<List<HostSample>> hosts = List::of;
    private volatile IntSupplier ledgerPending = () -> 0;
    private final Counter ledgerFailures;
    private final Counter ledgerDropped;
    private final Counter probesAnswered;

    public PrometheusMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        dispatchLatency = Timer.builder(MetricNames.DISPATCH_LATENCY)
            .description("From the shim's request to the started ffmpeg process")
            .serviceLevelObjectives(LATENCY_BUCKETS)
            .register(registry);
        ledgerFailures = Counter.builder(MetricNames.LEDGER_WRITE_FAILURES)
            .description("Job-history writes the database refused; each is kept in memory and retried").register(registry);
        probesAnswered = Counter.builder(MetricNames.PROBES_ANSWERED)
            .description("Capability probes answered from a profile, with nothing run").register(registry);
        ledgerDropped = Counter.builder(MetricNames.LEDGER_DROPPED)
            .description("Job-history writes given up; each is logged at ERROR with its content").register(registry);
        Gauge.builder(MetricNames.LEDGER_PENDING, this, m -> m.ledgerPending.getAsInt())
            .description("Job-history writes waiting in memory for the database").register(registry);
        hostGauges = List.of(
            MultiGauge.builder(MetricNames.HOST_UP).description("1 while the worker answers probes").register(registry),
            MultiGauge.builder(MetricNames.HOST_ELIGIBLE).description("1 while the worker may take new jobs").register(registry),
            MultiGauge.builder(MetricNames.HOST_SCORE).description("Ranking score; lowest gets the next job").register(registry),
            MultiGauge.builder(MetricNames.HOST_FOREIGN).description("ffmpeg processes not started by ffdispatch").register(registry),
            MultiGauge.builder(MetricNames.HOST_FFMPEG).description("ffmpeg processes counted by the last probe").register(registry));
    }

    @Override
    public void jobStarted(String host, String tool) {
        Counter.builder(MetricNames.JOBS_STARTED).description("Jobs started")
            .tags(MetricNames.TAG_HOST, host, MetricNames.TAG_TOOL, tool).register(registry).increment();
        activeOn(host).incrementAndGet();
    }

    @Override
    public void jobFinished(String host, String tool, String outcome, Duration duration) {
        Tags tags = Tags.of(MetricNames.TAG_HOST, host, MetricNames.TAG_TOOL, tool, MetricNames.TAG_OUTCOME, outcome);
        Counter.builder(MetricNames.JOBS_FINISHED).description("Jobs ended").tags(tags).register(registry).increment();
        Timer.builder(MetricNames.JOB_DURATION).description("Job run time").tags(tags).register(registry).record(duration);
        activeOn(host).updateAndGet(n -> Math.max(0, n - 1));
    }

    @Override
    public void dispatchLatency(Duration latency) {
        dispatchLatency.record(latency);
    }

    @Override
    public void fallback(String reason) {
        Counter.builder(MetricNames.FALLBACKS).description("Jobs run locally instead of on a worker")
            .tags(MetricNames.TAG_REASON, reason).register(registry).increment();
    }

    @Override
    public void probeAnswered() {
        probesAnswered.increment();
    }

    @Override
    public void hostPolled(String host, int ffmpegCount, Duration latency) {
        Timer.builder(MetricNames.POLL_LATENCY).description("Round trip of one worker probe")
            .serviceLevelObjectives(PROBE_BUCKETS).tags(MetricNames.TAG_HOST, host).register(registry).record(latency);
    }

    @Override
    public void loginShell(String host, Duration loginShell) {
        Timer.builder(MetricNames.LOGIN_SHELL).description("How long the worker's login shell took to start its link")
            .serviceLevelObjectives(LOGIN_BUCKETS).tags(MetricNames.TAG_HOST, host).register(registry).record(loginShell);
    }

    @Override
    public void hostFlapped(String host) {
        Counter.builder(MetricNames.HOST_FLAPS).description("Times the worker went from answering to down")
            .tags(MetricNames.TAG_HOST, host).register(registry).increment();
    }

    @Override
    public void wakeSent(String host) {
        Counter.builder(MetricNames.WAKE_PACKETS).description("Wake-on-LAN packets sent to the worker")
            .tags(MetricNames.TAG_HOST, host).register(registry).increment();
    }

    @Override
    public void ledgerWriteFailed() {
        ledgerFailures.increment();
    }

    @Override
    public void ledgerWriteDropped() {
        ledgerDropped.increment();
    }

    @Override
    public void bindLedgerBacklog(IntSupplier pending) {
        ledgerPending = pending;
    }

    @Override
    public void bindHosts(Supplier<List<HostSample>> hosts) {
        this.hosts = hosts;
    }

    /** The Prometheus text exposition of every metric, host gauges refreshed first. */
    public String scrape() {
        refreshHosts();
        return registry.scrape();
    }

    private AtomicInteger activeOn(String host) {
        return active.computeIfAbsent(host, h -> {
            AtomicInteger count = new AtomicInteger();
            Gauge.builder(MetricNames.JOBS_ACTIVE, count, AtomicInteger::get).description("Jobs running now")
                .tags(MetricNames.TAG_HOST, h).register(registry);
            return count;
        });
    }

    private void refreshHosts() {
        List<HostSample> samples;
        try {
            samples = hosts.get();
        } catch (RuntimeException e) {
            // A scrape must still answer: the JVM and job metrics are worth having without host gauges.
            LOG.warn("metrics: host gauges not refreshed: {}", e.toString());
            return;
        }
        List<Function<HostSample, Number>> values = List.of(s -> s.up() ? 1 : 0, s -> s.eligible() ? 1 : 0,
            HostSample::score, HostSample::foreign, HostSample::ffmpegProcesses);
        for (int i = 0; i < hostGauges.size(); i++) {
            Function<HostSample, Number> value = values.get(i);
            List<MultiGauge.Row<?>> rows = samples.stream()
                .<MultiGauge.Row<?>>map(s -> MultiGauge.Row.of(Tags.of(MetricNames.TAG_HOST, s.host()), value.apply(s)))
                .toList();
            hostGauges.get(i).register(rows, true);
        }
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
