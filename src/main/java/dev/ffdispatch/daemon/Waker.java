package dev.ffdispatch.daemon;

import dev.ffdispatch.metrics.DispatchMetrics;
import dev.ffdispatch.poll.HostHealth;
import dev.ffdispatch.poll.HostState;
import dev.ffdispatch.poll.Poller;
import dev.ffdispatch.ssh.Reasons;
import dev.ffdispatch.store.HostRecord;
import dev.ffdispatch.store.WakeOnLan;
import dev.ffdispatch.wake.MagicPacket;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes workers that are down when jobs would have gone to them: each time a job is dispatched to
 * the workers, every {@code DOWN} host with a Wake-on-LAN address that would otherwise be a
 * candidate (usable row, not drained) is sent a magic packet, at most once per
 * {@code poll.wake_interval}, and becomes {@code WAKING}: probed every poll interval, so it takes
 * jobs again as soon as it answers.
 */
final class Waker {
    private static final Logger LOG = LoggerFactory.getLogger(Waker.class);

    /** Sends one magic packet; {@link MagicPacket#send} in the daemon. */
    interface Sender {
        void send(byte[] mac, String host, int port) throws IOException;
    }

    private final Poller poller;
    private final Clock clock;
    private final Duration interval;
    private final DispatchMetrics metrics;
    private final Executor io;
    private final Sender sender;
    private final Map<Long, Instant> lastSent = new ConcurrentHashMap<>();

    /** @param io runs the sends (a host name as destination may need a DNS look-up) */
    Waker(Poller poller, Clock clock, Duration interval, DispatchMetrics metrics, Executor io, Sender sender) {
        this.poller = poller;
        this.clock = clock;
        this.interval = interval;
        this.metrics = metrics;
        this.io = io;
        this.sender = sender;
    }

    /** A job is being dispatched to the workers: wake those that are down and would be candidates. */
    void jobDispatched(Collection<WorkerHost> hosts) {
        for (WorkerHost host : hosts) {
            HostRecord record = host.record();
            if (record.wake() == null || record.drained() || record.problem() != null) {
                continue;
            }
            HostHealth health = poller.health(record.id());
            if (health != null && health.state() == HostState.DOWN) {
                wake(record);
            }
        }
    }

    private void wake(HostRecord record) {
        Instant now = clock.instant();
        Instant last = lastSent.get(record.id());
        if (last != null && now.isBefore(last.plus(interval))) {
            return;
        }
        lastSent.put(record.id(), now);
        WakeOnLan wake = record.wake();
        String reason = "Wake-on-LAN packet sent to " + wake.mac() + " via " + wake.to()
            + " (a job would have gone here); waiting for it to answer";
        metrics.wakeSent(record.name());
        poller.waking(record.id(), interval, reason);
        io.execute(() -> {
            try {
                sender.send(wake.macBytes(), wake.toHost(), wake.toPort());
                LOG.info("wake(host={}) magic packet sent mac={} to={}", record.name(), wake.mac(), wake.to());
            } catch (IOException | RuntimeException e) {
                LOG.warn("wake(host={}) magic packet to {} failed: {}", record.name(), wake.to(), Reasons.of(e));
            }
        });
    }
}
