package dev.ffdispatch.poll;

import dev.ffdispatch.poll.HostTrack.ProbeTicket;
import dev.ffdispatch.ssh.HostKeyRejectedException;
import dev.ffdispatch.ssh.LoginShellTimeoutException;
import dev.ffdispatch.ssh.Reasons;
import dev.ffdispatch.ssh.WorkerAnswerException;
import dev.ffdispatch.ssh.WorkerLink;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes every worker every {@code poll.interval}, in parallel, and keeps each host's health.
 *
 * <p>A tick (every {@link #TICK}) launches the probes that are due on the probe executor, so a
 * slow host never delays the others; a host whose probe is still running is skipped. A failure
 * marks the host {@code DOWN} (a rejected host key: {@code UNTRUSTED}) and re-probes it after
 * interval, 2x, 4x ... up to {@code poll.backoff_max}; the first good probe brings it back
 * {@code UP}. Nobody has to clear anything by hand.
 *
 * <p>Time comes from the injected clock only; tests call {@link #tick()} directly. The poller
 * does not own the executors it is given: {@link #close()} stops its own work only.
 */
public final class Poller implements AutoCloseable {
    /** How often due probes are looked for; the granularity of every delay here. */
    public static final Duration TICK = Duration.ofMillis(100);
    /**
     * The link must give up at {@code poll.timeout} (plus its start-up allowance) itself; if it
     * has not answered this much later, the probe is written off as failed and its late answer
     * ignored.
     */
    static final Duration OVERDUE_GRACE = Duration.ofSeconds(1);

    private static final Logger log = LoggerFactory.getLogger(Poller.class);

    private final WorkerLink link;
    private final PollSettings settings;
    private final Clock clock;
    private final ScheduledExecutorService ticker;
    private final Executor probeExecutor;
    /** Set once by {@link #start}; until then nothing is probed, so nobody is told of anything. */
    private volatile PollListener listener;
    private final SerialNotifier notifier = new SerialNotifier();

    private final Object lock = new Object();
    /** Guarded by lock. */
    private final Map<Long, HostTrack> tracks = new LinkedHashMap<>();
    /** Guarded by lock. */
    private ScheduledFuture<?> ticking;
    /** Guarded by lock. */
    private boolean closed;

    /**
     * @param link asks the worker for its ffmpeg count; it must give up at the timeout it is
     *     passed, plus its own {@link WorkerLink#startAllowance()} when its channel has to start
     * @param s interval, timeout and back-off cap
     * @param clock the only source of time (a fake one in tests)
     * @param ticker runs {@link #tick()} every {@link #TICK} once {@link #start}ed
     * @param probeExecutor runs the probes; give it a thread per host that may hang (a cached
     *     pool: at most one probe per host is in flight), or slow hosts queue up the others
     */
    public Poller(WorkerLink link, PollSettings s, Clock clock, ScheduledExecutorService ticker,
            Executor probeExecutor) {
        this.link = Objects.requireNonNull(link, "link");
        this.settings = Objects.requireNonNull(s, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.probeExecutor = Objects.requireNonNull(probeExecutor, "probeExecutor");
    }

    /**
     * Replaces the set of hosts. New hosts are {@code UNKNOWN} and probed at once; a host whose
     * SSH target changed is probed again at once; removed hosts are forgotten.
     */
    public void setHosts(Collection<PolledHost> hosts) {
        synchronized (lock) {
            Instant now = clock.instant();
            Map<Long, HostTrack> next = new LinkedHashMap<>();
            for (PolledHost host : hosts) {
                HostTrack track = tracks.get(host.id());
                if (track == null) {
                    track = new HostTrack(host, now);
                } else if (!track.host.equals(host)) {
                    track.host = host;
                    track.stale = track.inFlight != null; // that answer is about the old target
                    track.nextProbeAt = now;
                }
                if (next.put(host.id(), track) != null) {
                    throw new IllegalArgumentException("host id " + host.id() + " appears twice (" + host.name()
                            + "); host ids must be unique");
                }
            }
            tracks.clear();
            tracks.putAll(next);
        }
        tick();
    }

    /**
     * Starts probing, on the ticker every {@link #TICK}: hosts set before are probed now.
     * Calling it again does nothing.
     *
     * @param listener hears of every transition and every answered probe; passed here, not to the
     *     constructor, because it may need this poller itself (the daemon's host directory does)
     */
    public void start(PollListener listener) {
        Objects.requireNonNull(listener, "listener");
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("poller is closed; create a new one");
            }
            if (ticking == null) {
                this.listener = listener;
                ticking = ticker.scheduleWithFixedDelay(this::tickSafely, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    /** Launches the probes due now, and writes off probes that overran their timeout; nothing before {@link #start}. */
    public void tick() {
        List<ProbeTicket> due = new ArrayList<>();
        synchronized (lock) {
            if (closed || ticking == null) {
                return;
            }
            Instant now = clock.instant();
            Duration deadline = settings.timeout().plus(link.startAllowance()).plus(OVERDUE_GRACE);
            for (HostTrack track : tracks.values()) {
                if (track.isOverdue(now, deadline)) {
                    track.stale = true;
                    unreachable(track, "probe did not return within " + Reasons.duration(deadline), now);
                }
                if (track.isDue(now)) {
                    due.add(track.startProbe(now));
                }
            }
        }
        notifier.drain();
        due.forEach(this::launch);
    }

    /**
     * Marks a host {@code DOWN} at once (a job could not start there) and starts its back-off;
     * an answer of a probe already running is ignored. An {@code UNTRUSTED} host stays so.
     */
    public void reportFailure(long hostId, String reason) {
        synchronized (lock) {
            HostTrack track = tracks.get(hostId);
            if (track == null || closed) {
                log.debug("reportFailure(host={}) ignored: unknown host reason={}", hostId, reason);
                return;
            }
            track.stale = track.inFlight != null;
            HostState to = track.state == HostState.UNTRUSTED ? HostState.UNTRUSTED : HostState.DOWN;
            fail(track, to, reason, clock.instant());
        }
        notifier.drain();
    }

    /**
     * A Wake-on-LAN packet went to a {@code DOWN} host: it becomes {@code WAKING} and is probed
     * every {@code poll.interval} until it answers ({@code UP}) or {@code window} passes without
     * an answer ({@code DOWN} again, back-off as before). Other states are left alone.
     */
    public void waking(long hostId, Duration window, String reason) {
        synchronized (lock) {
            HostTrack track = tracks.get(hostId);
            if (track == null || closed || track.state != HostState.DOWN) {
                return;
            }
            Instant now = clock.instant();
            track.wakingUntil = now.plus(window);
            transition(track, HostState.WAKING, reason, now);
            if (track.inFlight == null) {
                track.nextProbeAt = now.plus(settings.interval()); // give the packet a moment to arrive
            }
        }
        notifier.drain();
    }

    /** Probes a host now (after {@code host trust}, say), or as soon as its running probe returns. */
    public void pollNow(long hostId) {
        synchronized (lock) {
            HostTrack track = tracks.get(hostId);
            if (track == null) {
                return;
            }
            track.nextProbeAt = clock.instant();
            track.repollRequested = track.inFlight != null;
        }
        tick();
    }

    /**
     * Drains a host: while it answers it is {@code DRAINED} instead of {@code UP}, so it takes no
     * new jobs; it is still probed, so its load stays known while its jobs finish.
     */
    public void setDrained(long hostId, boolean drained) {
        synchronized (lock) {
            HostTrack track = tracks.get(hostId);
            if (track == null || track.drained == drained) {
                return;
            }
            track.drained = drained;
            if (drained && track.state == HostState.UP) {
                transition(track, HostState.DRAINED, "drained by the admin", clock.instant());
            } else if (!drained && track.state == HostState.DRAINED) {
                transition(track, HostState.UP, "undrained by the admin", clock.instant());
            }
        }
        notifier.drain();
    }

    /** The host's health, or null for an unknown id. */
    public HostHealth health(long hostId) {
        synchronized (lock) {
            HostTrack track = tracks.get(hostId);
            return track == null ? null : track.health();
        }
    }

    /** Stops ticking; answers still on their way are ignored. The given executors stay open. */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            if (ticking != null) {
                ticking.cancel(false);
            }
        }
    }

    private void tickSafely() {
        try {
            tick();
        } catch (Throwable e) {
            // The ticker must never die: a thrown exception would cancel the periodic task.
            log.error("poll tick failed; polling continues", e);
        }
    }

    private void launch(ProbeTicket ticket) {
        try {
            probeExecutor.execute(() -> probe(ticket));
        } catch (RejectedExecutionException e) {
            log.warn("poll(host={}) probe not launched: probe executor rejected it", ticket.host().name(), e);
            synchronized (lock) {
                ticket.track().inFlight = null;
            }
        }
    }

    private void probe(ProbeTicket ticket) {
        PolledHost host = ticket.host();
        try {
            WorkerLink.Probe probe = link.count(host.target(), settings.timeout());
            finish(ticket, track -> succeed(track, probe.ffmpegCount(), probe.roundTrip(), ticket.startedAt()));
        } catch (HostKeyRejectedException e) {
            String reason = Reasons.of(e) + "; if the key is right, pin it with `ffdispatch host trust "
                    + host.name() + "`";
            finish(ticket, track -> fail(track, HostState.UNTRUSTED, reason, clock.instant()));
        } catch (LoginShellTimeoutException | WorkerAnswerException e) {
            // The worker is reachable and answers SSH; it just cannot run the probe (in time).
            finish(ticket, track -> fail(track, HostState.DOWN, Reasons.of(e), clock.instant()));
        } catch (IOException e) {
            finish(ticket, track -> unreachable(track, Reasons.of(e), clock.instant()));
        } catch (Throwable e) {
            // A bug in the link must not leave the host "in flight" forever.
            log.warn("poll(host={}) probe failed unexpectedly", host.name(), e);
            finish(ticket, track -> fail(track, HostState.DOWN, "probe failed: " + Reasons.of(e), clock.instant()));
        }
    }

    /** Applies a probe's answer unless it went stale (host removed, failed or changed meanwhile). */
    private void finish(ProbeTicket ticket, Consumer<HostTrack> outcome) {
        synchronized (lock) {
            HostTrack track = ticket.track();
            if (track.inFlight == null || track.inFlight.seq() != ticket.seq()) {
                return;
            }
            track.inFlight = null;
            boolean current = !closed && !track.stale && tracks.get(track.host.id()) == track;
            track.stale = false;
            if (current) {
                outcome.accept(track);
            } else {
                log.debug("poll(host={}) late answer ignored", ticket.host().name());
            }
            if (track.repollRequested) {
                track.repollRequested = false;
                track.nextProbeAt = clock.instant();
            }
        }
        notifier.drain();
    }

    /** Guarded by lock. */
    private void succeed(HostTrack track, int count, Duration latency, Instant startedAt) {
        Instant now = clock.instant();
        track.lastPolled = now;
        track.lastLatency = latency;
        track.ffmpegCount = count;
        track.failures = 0;
        // From the start, not the end, of the probe: the cadence stays at one interval.
        track.nextProbeAt = startedAt.plus(settings.interval());
        log.debug("poll(host={}) ffmpeg={} latencyMs={}", track.host.name(), count, latency.toMillis());
        HostState to = track.drained ? HostState.DRAINED : HostState.UP;
        if (track.state != to) {
            transition(track, to, "answered: " + count + " ffmpeg running, probe took " + Reasons.duration(latency), now);
        }
        PolledHost host = track.host;
        tell(l -> l.polled(host, count, latency));
    }

    /** Guarded by lock. */
    private void unreachable(HostTrack track, String reason, Instant now) {
        boolean wasAnswering = track.state != HostState.DOWN && track.state != HostState.WAKING;
        fail(track, HostState.DOWN, reason, now);
        if (wasAnswering) {
            PolledHost host = track.host;
            tell(l -> l.unreachable(host, reason));
        }
    }

    /** Guarded by lock. */
    private void fail(HostTrack track, HostState to, String reason, Instant now) {
        if (track.state == HostState.WAKING && to == HostState.DOWN) {
            if (now.isBefore(track.wakingUntil)) {
                // Still booting: no back-off, so it is used again as soon as it answers.
                track.lastError = reason;
                track.nextProbeAt = now.plus(settings.interval());
                return;
            }
            reason = "no answer within " + Reasons.duration(Duration.between(track.since, now))
                    + " of the Wake-on-LAN packet; last: " + reason;
        }
        track.failures++;
        track.lastError = reason;
        Duration wait = Backoff.delay(settings.interval(), settings.backoffMax(), track.failures);
        track.nextProbeAt = now.plus(wait);
        log.debug("poll(host={}) failed failures={} nextInMs={} reason={}", track.host.name(), track.failures,
                wait.toMillis(), reason);
        if (track.state == to) {
            track.reason = reason;
        } else {
            transition(track, to, reason, now);
        }
    }

    /** Guarded by lock; the listener hears of it after the lock is released, in order. */
    private void transition(HostTrack track, HostState to, String reason, Instant now) {
        HostState from = track.state;
        track.state = to;
        track.reason = reason;
        track.since = now;
        PolledHost host = track.host;
        log.info("poll(host={}) {} -> {} reason={}", host.name(), from, to, reason);
        tell(l -> l.stateChanged(host, from, to, reason));
    }

    /** Queues {@code event} for the listener, told in order once the lock is released; before start nobody is. */
    private void tell(Consumer<PollListener> event) {
        PollListener told = listener;
        if (told != null) {
            notifier.enqueue(() -> event.accept(told));
        }
    }
}
