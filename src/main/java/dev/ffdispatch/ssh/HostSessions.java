package dev.ffdispatch.ssh;

import dev.ffdispatch.posix.FlushingOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.channel.exception.SshChannelOpenException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sessions to one worker (address, port, user). A channel goes to a session with a free
 * slot; when all are full, or the server refuses a channel (OpenSSH MaxSessions), another
 * session is opened, up to a limit. One connect in flight per worker, so a burst of callers
 * does not open a burst of sessions.
 */
final class HostSessions {
    private static final Logger LOG = LoggerFactory.getLogger(HostSessions.class);

    /** Opens a new authenticated session to the worker within the deadline. */
    interface Connector {
        ClientSession connect(SshTarget target, Deadline deadline) throws IOException;
    }

    private final Connector connector;
    private final int maxSessions;
    private final int channelsPerSession;
    private final ReentrantLock connecting = new ReentrantLock();
    private final List<Slotted> sessions = new ArrayList<>(); // guarded by this

    HostSessions(Connector connector, int maxSessions, int channelsPerSession) {
        this.connector = connector;
        this.maxSessions = maxSessions;
        this.channelsPerSession = channelsPerSession;
    }

    PooledChannel open(SshTarget target, String command, OutputStream stdout, OutputStream stderr, Deadline deadline)
        throws IOException {
        while (true) {
            deadline.check(target, "opening a channel");
            Slotted slotted = reserveOrWait(target, deadline);
            if (slotted == null) {
                slotted = connectAndReserve(target, deadline);
            }
            if (slotted == null) {
                continue;
            }
            PooledChannel channel = tryOpen(target, slotted, command, stdout, stderr, deadline);
            if (channel != null) {
                return channel;
            }
        }
    }

    synchronized int sessionCount() {
        prune();
        return sessions.size();
    }

    synchronized void closeAll() {
        sessions.forEach(s -> s.session.close(true));
        sessions.clear();
    }

    synchronized List<ClientSession> snapshot() {
        prune();
        return sessions.stream().map(s -> s.session).toList();
    }

    /** Closes one session now; its channels end with connectionLost. */
    synchronized void drop(ClientSession session) {
        sessions.removeIf(s -> s.session == session);
        session.close(true);
    }

    /** A session with a free slot (reserved), or null when a new session may be opened. Waits when the pool is full. */
    private synchronized Slotted reserveOrWait(SshTarget target, Deadline deadline) throws IOException {
        while (true) {
            prune();
            for (Slotted s : sessions) {
                if (s.open < s.cap) {
                    s.open++;
                    return s;
                }
            }
            if (sessions.size() < maxSessions) {
                return null;
            }
            long waitMs = deadline.remaining().toMillis();
            if (waitMs <= 0) {
                throw new IOException("host " + target.name() + ": no free channel within " + Reasons.duration(deadline.total()) + ": "
                    + describe() + "; raise ssh max_sessions_per_host or the worker's sshd MaxSessions");
            }
            try {
                wait(waitMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("host " + target.name() + ": interrupted while waiting for a free channel", e);
            }
        }
    }

    private Slotted connectAndReserve(SshTarget target, Deadline deadline) throws IOException {
        try {
            if (!connecting.tryLock(deadline.remaining().toNanos(), TimeUnit.NANOSECONDS)) {
                throw new IOException("host " + target.name() + ": another connect did not finish within "
                    + Reasons.duration(deadline.total()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("host " + target.name() + ": interrupted while waiting to connect", e);
        }
        try {
            synchronized (this) {
                prune();
                // Whoever held the lock before may have connected a session with room for us too.
                if (sessions.stream().anyMatch(s -> s.open < s.cap) || sessions.size() >= maxSessions) {
                    return null;
                }
            }
            ClientSession session = connector.connect(target, deadline);
            Slotted slotted = new Slotted(session, channelsPerSession);
            synchronized (this) {
                slotted.open++;
                sessions.add(slotted);
                LOG.info("pool(host={}) session opened sessions={}", target.name(), sessions.size());
            }
            return slotted;
        } finally {
            connecting.unlock();
        }
    }

    /** The open channel, or null when the session refused it or died (the caller tries again). */
    private PooledChannel tryOpen(SshTarget target, Slotted slotted, String command, OutputStream stdout,
                                  OutputStream stderr, Deadline deadline) throws IOException {
        ChannelExec channel;
        try {
            channel = slotted.session.createExecChannel(command);
        } catch (IOException e) {
            release(slotted);
            return retryIfSessionDied(target, slotted, e);
        }
        channel.setOut(new FlushingOutputStream(stdout, false));
        channel.setErr(new FlushingOutputStream(stderr, false));
        channel.addCloseFutureListener(f -> release(slotted));
        try {
            channel.open().verify(deadline.remaining());
        } catch (IOException e) {
            SshChannelOpenException refused = refusal(e);
            try {
                return refused != null ? refusedBy(target, slotted, refused) : retryIfSessionDied(target, slotted, e);
            } finally {
                channel.close(true);
            }
        }
        return new PooledChannel(target, channel, slotted.session);
    }

    private PooledChannel refusedBy(SshTarget target, Slotted slotted, SshChannelOpenException refused)
        throws IOException {
        synchronized (this) {
            // Our own slot is still counted until the close listener runs; the others stay.
            int others = slotted.open - 1;
            if (others <= 0) {
                throw new IOException("host " + target.name() + ": the server refuses even one channel per session ("
                    + refused.getMessage() + "); check the worker's sshd MaxSessions", refused);
            }
            slotted.cap = Math.min(slotted.cap, others);
            LOG.debug("pool(host={}) channel refused, session cap now {} ({})", target.name(), slotted.cap,
                refused.getMessage());
        }
        return null;
    }

    private PooledChannel retryIfSessionDied(SshTarget target, Slotted slotted, IOException e) throws IOException {
        if (slotted.session.isOpen() && !slotted.session.isClosing()) {
            throw new IOException("host " + target.name() + ": channel open failed: " + Reasons.of(e), e);
        }
        LOG.info("pool(host={}) session lost, reconnecting: {}", target.name(), e.getMessage());
        synchronized (this) {
            sessions.remove(slotted);
        }
        return null;
    }

    private static SshChannelOpenException refusal(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SshChannelOpenException open) {
                return open;
            }
        }
        return null;
    }

    private synchronized void release(Slotted slotted) {
        slotted.open--;
        notifyAll();
    }

    private void prune() {
        sessions.removeIf(s -> !s.session.isOpen() || s.session.isClosing());
    }

    private String describe() {
        StringBuilder b = new StringBuilder("sessions=" + sessions.size() + "/" + maxSessions + " channels=[");
        for (Slotted s : sessions) {
            b.append(s.open).append('/').append(s.cap).append(' ');
        }
        return b.append(']').toString().replace(" ]", "]");
    }

    /** A session and how many of our channels it carries; fields guarded by the HostSessions monitor. */
    private static final class Slotted {
        final ClientSession session;
        int open;
        int cap;

        Slotted(ClientSession session, int cap) {
            this.session = session;
            this.cap = cap;
        }
    }
}
