package dev.ffdispatch.daemon;

import dev.ffdispatch.balance.HostBook;
import dev.ffdispatch.balance.HostLoad;
import dev.ffdispatch.balance.LoadBook;
import dev.ffdispatch.config.Config;
import dev.ffdispatch.config.StateConfig;
import dev.ffdispatch.daemon.StatusReply.DaemonStatus;
import dev.ffdispatch.exec.LocalExecutor;
import dev.ffdispatch.exec.PathMapper;
import dev.ffdispatch.exec.SshExecutor;
import dev.ffdispatch.metrics.DispatchMetrics;
import dev.ffdispatch.metrics.HostSample;
import dev.ffdispatch.metrics.MetricsServer;
import dev.ffdispatch.metrics.PrometheusMetrics;
import dev.ffdispatch.poll.HostHealth;
import dev.ffdispatch.poll.HostState;
import dev.ffdispatch.poll.PollSettings;
import dev.ffdispatch.poll.Poller;
import dev.ffdispatch.posix.JobExitCodes;
import dev.ffdispatch.posix.NamedThreads;
import dev.ffdispatch.protocol.Frame;
import dev.ffdispatch.protocol.FrameType;
import dev.ffdispatch.ssh.SshPool;
import dev.ffdispatch.ssh.SshSettings;
import dev.ffdispatch.ssh.SshTarget;
import dev.ffdispatch.ssh.WorkerLinks;
import dev.ffdispatch.store.HostRecord;
import dev.ffdispatch.store.ProfileRecord;
import dev.ffdispatch.store.Store;
import dev.ffdispatch.wake.MagicPacket;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The resident service. Start order: store, SSH pool, balancer, poller, hosts, reaper, socket;
 * stop order is the reverse, with running jobs given {@code daemon.shutdown_grace} to finish
 * before they are cancelled.
 */
public final class Daemon implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);
    /** How often the hosts table is checked for CLI changes: "takes effect within one second". */
    static final Duration HOST_REFRESH = Duration.ofMillis(500);
    /**
     * A local job's start (fork and exec of ffmpeg). A worker job's start is bounded by
     * {@code ssh.login_shell_timeout} instead: its channel pays the worker's login shell.
     */
    static final Duration START_TIMEOUT = Duration.ofSeconds(10);
    /** How long a session of a host that stopped answering probes may take to answer a keepalive. */
    static final Duration KEEPALIVE_TIMEOUT = Duration.ofSeconds(5);
    /** How often job history past {@code jobs.retention} is deleted. */
    static final Duration PRUNE_EVERY = Duration.ofHours(1);
    /** MDC key of lines logged for a job: the job's daemon-local number (the log format prints it). */
    public static final String MDC_JOB = "job";
    /** MDC key of lines logged for a job: the host it runs on. */
    public static final String MDC_HOST = "host";
    /** One kill request on a worker's link. */
    static final Duration KILL_COMMAND_TIMEOUT = Duration.ofSeconds(5);
    /**
     * One learn run (five listings and the device tests) once it has started; a worker's run may
     * also take the session's connect and its login shell.
     */
    static final Duration LEARN_TIMEOUT = Duration.ofMinutes(2);
    /** PostgreSQL connections: the history writer, host choices, the shared-state thread, refreshes and probes. */
    static final int STATE_CONNECTIONS = 5;

    private final Config config;
    private final Clock clock;
    private final String runId = UUID.randomUUID().toString();
    private final Store store;
    private final String serverName;
    private final SharedBook sharedBook;
    private final SshPool pool;
    private final WorkerLinks links;
    private final ScheduledExecutorService timers;
    private final ExecutorService probes;
    private final SshExecutor.Timeouts executorTimeouts;
    private final HostBook loadBook;
    private final JobLedger ledger;
    private final Poller poller;
    private final HostDirectory hosts;
    private final Dispatcher dispatcher;
    private final Reaper reaper;
    private final SocketServer server;
    private final Routes routes;
    /** Null when {@code routing.capabilities} is off. */
    private final ProfileKeeper profiles;
    private volatile long seenProfileCounter;
    /** Null when {@code metrics.listen} is off. */
    private final PrometheusMetrics prometheus;
    private MetricsServer metricsServer;
    /** Set before the socket accepts its first connection. */
    private volatile StatusReport statusReport;
    private volatile boolean closed;

    private Daemon(Config config, Clock clock, PrometheusMetrics prometheus) throws IOException {
        this.config = config;
        this.clock = clock;
        this.prometheus = prometheus;
        DispatchMetrics metrics = prometheus != null ? prometheus : DispatchMetrics.NOOP;
        this.store = Store.open(config.state(), System.getenv(), STATE_CONNECTIONS);
        this.serverName = config.state().effectiveServerName();
        // One server keeps its reservations in memory; servers sharing PostgreSQL keep them there, under leases.
        this.sharedBook = store.shared() ? new SharedBook(store.leases(runId, serverName, config.state().lease()),
            StateConfig.LAST_KNOWN.equals(config.state().whenAway()), config.state().lease(), store.location(), clock) : null;
        this.loadBook = sharedBook != null ? sharedBook : new LoadBook();
        this.pool = new SshPool(new SshSettings(store.knownHosts(config.state().knownHosts()), config.ssh().identities(),
            config.ssh().connectTimeout(), config.ssh().connectTimeout(), config.ssh().heartbeat(),
            config.ssh().idleTimeout(), config.ssh().maxSessionsPerHost()));
        this.timers = Executors.newScheduledThreadPool(2, NamedThreads.factory("timer"));
        // Opening a channel may include a fresh connect and login: allow twice the connect timeout.
        Duration open = config.ssh().connectTimeout().multipliedBy(2);
        this.links = new WorkerLinks(pool, open, config.ssh().loginShellTimeout(), new WorkerLinks.Listener() {
            @Override
            public void linkStarted(SshTarget target, Duration loginShell) {
                metrics.loginShell(target.name(), loginShell);
            }
        });
        this.executorTimeouts = new SshExecutor.Timeouts(open, config.ssh().loginShellTimeout(), KILL_COMMAND_TIMEOUT);
        this.probes = Executors.newCachedThreadPool(NamedThreads.factory("probe"));
        this.ledger = new JobLedger(store, clock, runId, serverName, metrics);
        this.poller = new Poller(links, new PollSettings(config.poll().interval(), config.poll().timeout(),
            config.poll().backoffMax()), clock, timers, probes);
        this.hosts = new HostDirectory(store, loadBook, poller, this::workerHost, ledger,
            target -> probes.execute(() -> pool.dropSilentSessions(target, KEEPALIVE_TIMEOUT)),
            jobCapacity(config.ssh().maxSessionsPerHost()));
        LocalTools localTools = new LocalTools(config.local().ffmpeg(), config.local().ffprobe(), System.getenv("PATH"));
        this.routes = new Routes(store);
        this.profiles = config.routing().capabilities() ? profileKeeper(localTools, open) : null;
        if (profiles != null) {
            hosts.onAnswering(profiles::hostUp);
        }
        this.dispatcher = new Dispatcher(loadBook, hosts, poller,
            new Router(config.routing().localTools(), config.routing().localPatterns()), routes, profiles, localTools,
            new LocalExecutor(timers, START_TIMEOUT), config.local().fallback(), config.jobs().envPassthrough(), config.jobs().env(),
            new Waker(poller, clock, config.poll().wakeInterval(), metrics, probes, MagicPacket::send));
        // With shared state only this server's earlier runs are its to reap; alone, every earlier run is.
        this.reaper = new Reaper(store, links, this::targetByName, clock, store.shared() ? serverName : null);
        metrics.bindHosts(this::hostSamples);
        this.server = new SocketServer(config.daemon().socket(),
            new PeerCheck(System.getProperty("user.name"), config.daemon().allowedUsers(), config.daemon().allowedGroups()),
            this::handle);
    }

    private ProfileKeeper profileKeeper(LocalTools localTools, Duration open) {
        ProfileSource local = new ProfileSource.Local(ProfileRecord.local(serverName), localTools, LEARN_TIMEOUT);
        Duration learn = open.plus(config.ssh().loginShellTimeout()).plus(LEARN_TIMEOUT);
        return new ProfileKeeper(new ProfileBook(store), probes, clock, local,
            host -> new ProfileSource.Worker(host, links, pool, config.poll().timeout(), learn));
    }

    /**
     * Starts a daemon with the wall clock, and its {@code /metrics} endpoint when
     * {@code metrics.listen} is set; returns once the socket accepts jobs.
     *
     * @throws IOException naming what could not start (database, socket, metrics address) and the fix
     */
    public static Daemon start(Config config) throws IOException {
        Daemon daemon = new Daemon(config, Clock.systemUTC(), config.metrics().listen().isEmpty() ? null : new PrometheusMetrics());
        try {
            daemon.startComponents();
        } catch (IOException | RuntimeException e) {
            daemon.close();
            throw e;
        }
        return daemon;
    }

    private void startComponents() throws IOException {
        LOG.info("daemon(run={}) starting: {}", runId, config.describe());
        LOG.info("daemon(run={}) state in {} ({}{})", runId, store.location(), store.engine(),
            store.shared() ? ", shared by the servers of this pool; this one is '" + serverName + "'" : "");
        if (sharedBook != null) {
            sharedBook.start();
            long every = sharedBook.renewEvery().toMillis();
            timers.scheduleWithFixedDelay(sharedBook::renew, every, every, TimeUnit.MILLISECONDS);
        }
        pool.start();
        hosts.refresh();
        routes.refresh();
        if (profiles != null) {
            seenProfileCounter = store.profilesCounter();
            profiles.start();
            timers.scheduleWithFixedDelay(() -> profiles.checkAll(hosts.answering()), ProfileKeeper.CHECK_EVERY.toMillis(),
                ProfileKeeper.CHECK_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        }
        int orphans = reaper.collect(runId);
        ledger.onHostUp(host -> {
            if (reaper.hasOrphans(host)) {
                probes.execute(() -> reaper.reap(host));
            }
        });
        if (orphans > 0) {
            probes.execute(reaper::reapAll);
        }
        timers.scheduleWithFixedDelay(this::refreshHosts, HOST_REFRESH.toMillis(), HOST_REFRESH.toMillis(), TimeUnit.MILLISECONDS);
        pruneHistory();
        timers.scheduleWithFixedDelay(this::pruneHistory, PRUNE_EVERY.toMillis(), PRUNE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        poller.start(hosts);
        if (prometheus != null) {
            metricsServer = MetricsServer.start(config.metrics().listen(), prometheus);
        }
        statusReport = new StatusReport(new DaemonStatus(true, ProcessHandle.current().pid(), runId,
            clock.instant().toString(), config.daemon().socket().toString(),
            metricsServer == null ? null : metricsServer.url(), null, null), store, serverName, sharedBook, loadBook, hosts,
            poller, links, ledger, profiles);
        server.start(config.daemon().socketGroup());
        LOG.info("daemon(run={}) ready on {}", runId, config.daemon().socket());
    }

    /** Job history older than {@code jobs.retention} holds command lines nobody needs any more. */
    private void pruneHistory() {
        Instant cutoff = clock.instant().minus(config.jobs().retention());
        try {
            long deleted = store.pruneHistory(cutoff);
            if (deleted > 0) {
                LOG.info("daemon(run={}) pruned {} job and host-event row(s) ended before {} (jobs.retention {})",
                    runId, deleted, cutoff, config.jobs().retention());
            }
        } catch (RuntimeException e) {
            LOG.warn("daemon(run={}) pruning job history failed, tried again in {} min: {}", runId,
                PRUNE_EVERY.toMinutes(), e.toString());
        }
    }

    /** Set while refreshes fail: a database away for an hour must not log twice a second. */
    private volatile boolean refreshFailing;

    private void refreshHosts() {
        try {
            hosts.refresh();
            routes.refresh();
            if (profiles != null) {
                long counter = store.profilesCounter();
                if (counter != seenProfileCounter) {
                    seenProfileCounter = counter;
                    profiles.reload(hosts.answering());
                }
            }
            if (refreshFailing) {
                refreshFailing = false;
                LOG.info("hosts refresh works again");
            }
        } catch (RuntimeException e) {
            if (!refreshFailing) {
                LOG.warn("hosts refresh failed, keeping the previous host list and routing rules until it works again: {}",
                    e.toString());
            } else {
                LOG.debug("hosts refresh failed again: {}", e.toString());
            }
            refreshFailing = true;
        }
    }

    private void handle(ShimConnection shim, Frame first) {
        if (first.type() == FrameType.STATUS) {
            shim.sendWhole(new Frame(FrameType.STATUS_REPLY, statusReport.reply().toJson()));
            return;
        }
        if (closed) {
            shim.tellStderr("the daemon is shutting down; try again in a moment");
            shim.send(Frame.exit(JobExitCodes.CANCELLED));
            return;
        }
        new JobSession(shim, dispatcher, ledger, config.jobs().killGrace(), reaper::orphaned).run(first);
    }

    /** Per-host gauges for the metrics binding: the balancer's load plus the poller's health. */
    private List<HostSample> hostSamples() {
        List<HostSample> samples = new ArrayList<>();
        for (HostLoad load : loadBook.snapshot()) {
            HostHealth health = poller.health(load.id());
            HostState state = health == null ? HostState.UNKNOWN : health.state();
            samples.add(new HostSample(load.name(), state == HostState.UP || state == HostState.DRAINED, load.eligible(),
                load.score(), load.foreign(), health == null ? -1 : health.ffmpegCount()));
        }
        return samples;
    }

    /**
     * Jobs one worker can carry: every job holds an SSH channel, and the pool opens at most
     * sessions x channels. One channel is the worker's link (probes, kills, reaps). A host at capacity is
     * skipped by the balancer at once, instead of the job waiting for a channel and then moving.
     */
    static int jobCapacity(int maxSessionsPerHost) {
        return maxSessionsPerHost * SshSettings.CHANNELS_PER_SESSION - 1;
    }

    private WorkerHost workerHost(HostRecord record) {
        SshTarget target = target(record);
        PathMapper mapper = PathMapper.of(record.mappings());
        return new WorkerHost(record, target, new SshExecutor(pool, links, target, mapper, timers, executorTimeouts));
    }

    private SshTarget target(HostRecord record) {
        return new SshTarget(record.name(), record.address(), record.port(), record.login(config.ssh().user()));
    }

    private Optional<SshTarget> targetByName(String name) {
        return store.host(name).map(this::target);
    }

    public Path socket() {
        return config.daemon().socket();
    }

    /** The store this daemon writes; for in-process users such as the demo. */
    public Store store() {
        return store;
    }

    /**
     * Graceful stop: no new jobs, running ones get {@code daemon.shutdown_grace} to end, then they
     * are cancelled (TERM, KILL after {@code jobs.kill_grace}); then components close in reverse.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        LOG.info("daemon(run={}) stopping: {} running job(s)", runId, ledger.live().size());
        server.close();
        waitForJobs(config.daemon().shutdownGrace());
        for (LiveJob job : ledger.live()) {
            if (job.job != null) {
                job.cancelled = LiveJob.Cancel.SHUTDOWN;
                job.job.cancel(config.jobs().killGrace());
            }
        }
        waitForJobs(config.jobs().killGrace().plusSeconds(3));
        if (profiles != null) {
            profiles.close();
        }
        if (metricsServer != null) {
            metricsServer.close();
        }
        poller.close();
        timers.shutdownNow();
        probes.shutdownNow();
        links.close();
        pool.close();
        ledger.close();
        if (sharedBook != null) {
            sharedBook.close();
        }
        store.close();
        if (prometheus != null) {
            prometheus.close();
        }
        LOG.info("daemon(run={}) stopped", runId);
    }

    private void waitForJobs(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!ledger.live().isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
