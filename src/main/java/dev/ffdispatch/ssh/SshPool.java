package dev.ffdispatch.ssh;

import java.io.IOException;
import java.io.OutputStream;
import java.net.SocketAddress;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.future.ConnectFuture;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.core.CoreModuleProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's SSH client: one MINA {@code SshClient}, a pool of sessions per worker, host keys
 * checked against the managed known_hosts file, public-key login only.
 */
public final class SshPool implements SshChannels, RemoteCommandRunner, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SshPool.class);
    private static final AttributeKey<SshTarget> TARGET = new AttributeKey<>();
    /** Why the verifier refused the host key; in the connection context, which outlives the closed session. */
    private static final AttributeKey<AtomicReference<String>> REJECTION = new AttributeKey<>();
    /** Two I/O threads carry all sessions: the traffic is small, the machine is shared with ffmpeg. */
    private static final int IO_THREADS = 2;

    private final SshSettings settings;
    private final KnownHosts knownHosts;
    private final SshClient client = SshClient.setUpDefaultClient();
    private final ConcurrentMap<Endpoint, HostSessions> hosts = new ConcurrentHashMap<>();
    /** Keys accepted in memory for one address:port while nothing is pinned there (worker-setup). */
    private final ConcurrentMap<String, PublicKey> unpinnedAccepted = new ConcurrentHashMap<>();

    public SshPool(SshSettings settings) {
        this.settings = settings;
        this.knownHosts = new KnownHosts(settings.knownHosts());
    }

    /** The global request OpenSSH clients use as keepalive; any server answers it (usually with failure). */
    private static final String KEEPALIVE = "keepalive@openssh.com";
    private volatile boolean identitiesLoaded;
    private volatile String identityProblem;

    /**
     * Starts the client. A missing or unreadable identity does not stop it ({@link #loadIdentities}
     * logs it and tries again at the next connect); connects then fail naming the file.
     */
    public void start() {
        loadIdentities();
        client.setUserAuthFactories(List.of(UserAuthPublicKeyFactory.INSTANCE));
        client.setPasswordIdentityProvider(null);
        client.setAgentFactory(null);
        client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY); // ~/.ssh/config must not change routing
        client.setServerKeyVerifier(this::verifyServerKey);
        // MINA leaves Nagle on: a pooled exec then costs ~48 ms instead of ~5 ms.
        CoreModuleProperties.TCP_NODELAY.set(client, true);
        CoreModuleProperties.HEARTBEAT_INTERVAL.set(client, settings.heartbeat());
        CoreModuleProperties.IDLE_TIMEOUT.set(client, settings.idleTimeout());
        CoreModuleProperties.AUTH_TIMEOUT.set(client, settings.authTimeout());
        CoreModuleProperties.NIO_WORKERS.set(client, IO_THREADS);
        client.start();
        LOG.info("ssh(pool) started knownHosts={} identities={} connectTimeout={} authTimeout={} heartbeat={} "
                + "idleTimeout={} maxSessionsPerHost={}", settings.knownHosts().describe(), settings.identities(),
            settings.connectTimeout(), settings.authTimeout(), settings.heartbeat(), settings.idleTimeout(),
            settings.maxSessionsPerHost());
    }

    /**
     * A missing key must not keep the daemon from starting: with no workers reachable it still
     * serves every job locally. Workers then go down with the reason, and the key is looked for
     * again at the next connect, so creating it needs no restart.
     */
    private synchronized void loadIdentities() {
        if (identitiesLoaded) {
            return;
        }
        try {
            List<KeyPair> identities = KeyFiles.load(settings.identities());
            client.setKeyIdentityProvider(KeyIdentityProvider.wrapKeyPairs(identities));
            identitiesLoaded = true;
            identityProblem = null;
        } catch (IOException e) {
            if (!e.getMessage().equals(identityProblem)) {
                LOG.warn("ssh(pool) {}; workers cannot be reached until it exists, jobs run locally meanwhile", e.getMessage());
            }
            identityProblem = e.getMessage();
        }
    }

    @Override
    public RemoteChannel open(SshTarget target, String command, OutputStream stdout, OutputStream stderr,
                              Duration timeout) throws IOException {
        return openChannel(target, command, stdout, stderr, Deadline.after(timeout));
    }

    @Override
    public CommandResult run(SshTarget target, String command, Duration timeout) throws IOException {
        long started = System.nanoTime();
        Deadline deadline = Deadline.after(timeout);
        CappedOutputStream out = new CappedOutputStream(CappedOutputStream.ONE_MIB);
        CappedOutputStream err = new CappedOutputStream(CappedOutputStream.ONE_MIB);
        try (PooledChannel channel = openChannel(target, command, out, err, deadline)) {
            channel.stdin().close(); // EOF: a probe never waits for input
            RemoteExit exit = channel.exit().get(deadline.remaining().toNanos(), TimeUnit.NANOSECONDS);
            return new CommandResult(exit.exitCode(), out.bytes(), err.bytes(),
                Duration.ofNanos(System.nanoTime() - started));
        } catch (TimeoutException e) {
            throw new SshTimeoutException("host " + target.name() + ": command did not finish within " + Reasons.duration(timeout) + ": "
                + command, e);
        } catch (ExecutionException e) {
            throw new IOException("host " + target.name() + ": command failed: " + Reasons.of(e.getCause()), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("host " + target.name() + ": interrupted while running " + command, e);
        }
    }

    /**
     * Accepts exactly {@code key} for the target's address and port while no key is pinned there,
     * for this pool's life only; nothing is written to known_hosts. {@code ffdispatch worker-setup}
     * checks a worker whose key it has just shown, before the user pins it. A pinned key still
     * wins: when it differs, the login is refused as a changed key.
     */
    public void acceptUnpinned(SshTarget target, PublicKey key) {
        unpinnedAccepted.put(KnownHosts.hostPattern(target.address(), target.port()), key);
    }

    /**
     * Asks every pooled session to the target for an SSH-level keepalive reply and closes those
     * that give none within {@code timeout}; their channels end with {@code connectionLost}.
     * A probe that times out may just mean a busy machine (fork and exec of pgrep are slow
     * under load) while the transport is fine; a keepalive is answered by sshd's own loop, so
     * silence here means the link or the peer is gone (a cut link sends no FIN, and TCP would
     * take minutes to give up). Blocks up to {@code timeout}; returns how many were dropped.
     */
    public int dropSilentSessions(SshTarget target, Duration timeout) {
        HostSessions sessions = hosts.get(Endpoint.of(target));
        if (sessions == null) {
            return 0;
        }
        int dropped = 0;
        for (ClientSession session : sessions.snapshot()) {
            try {
                Buffer request = session.createBuffer(SshConstants.SSH_MSG_GLOBAL_REQUEST);
                request.putString(KEEPALIVE);
                request.putBoolean(true);
                session.request(KEEPALIVE, request, timeout); // a failure reply is still a reply
            } catch (IOException | RuntimeException e) {
                sessions.drop(session);
                dropped++;
                LOG.info("ssh(host={}) session dropped: no keepalive reply within {} ({})", target.name(), timeout,
                    e.toString());
            }
        }
        return dropped;
    }

    /** Sessions currently pooled for the target (for status output and tests). */
    public int sessionCount(SshTarget target) {
        HostSessions sessions = hosts.get(Endpoint.of(target));
        return sessions == null ? 0 : sessions.sessionCount();
    }

    /** Closes all sessions and stops the client; open channels end with connectionLost. */
    @Override
    public void close() {
        hosts.values().forEach(HostSessions::closeAll);
        hosts.clear();
        client.stop();
    }

    PooledChannel openChannel(SshTarget target, String command, OutputStream stdout, OutputStream stderr,
                              Deadline deadline) throws IOException {
        if (!client.isStarted()) {
            throw new IllegalStateException("SshPool is not started: call start() first");
        }
        loadIdentities();
        if (!identitiesLoaded) {
            throw new IOException("host " + target.name() + ": no SSH identity: " + identityProblem);
        }
        HostSessions sessions = hosts.computeIfAbsent(Endpoint.of(target),
            e -> new HostSessions(this::connect, settings.maxSessionsPerHost(), SshSettings.CHANNELS_PER_SESSION));
        return sessions.open(target, command, stdout, stderr, deadline);
    }

    private ClientSession connect(SshTarget target, Deadline deadline) throws IOException {
        deadline.check(target, "connect");
        Duration connectTimeout = deadline.cap(settings.connectTimeout());
        AtomicReference<String> rejection = new AtomicReference<>();
        ConnectFuture future = client.connect(target.user(), target.address(), target.port(),
            AttributeRepository.ofAttributesMap(Map.of(TARGET, target, REJECTION, rejection)), null);
        ClientSession session;
        try {
            session = future.verify(connectTimeout).getSession();
        } catch (IOException e) {
            future.cancel();
            throw new IOException("host " + target.name() + ": connect to " + target.hostPort()
                + " failed: " + Reasons.of(e) + " (limit " + Reasons.duration(connectTimeout) + ")", e);
        }
        Duration authTimeout = deadline.cap(settings.authTimeout());
        try {
            session.auth().verify(authTimeout);
            return session;
        } catch (IOException e) {
            session.close(true);
            if (rejection.get() != null) {
                throw new HostKeyRejectedException(rejection.get());
            }
            throw new IOException("host " + target.name() + ": login as " + target.user() + " failed within "
                + Reasons.duration(authTimeout) + " (" + Reasons.of(e) + "); add the public key of " + settings.identities()
                + " to ~" + target.user() + "/.ssh/authorized_keys on the worker", e);
        }
    }

    private boolean verifyServerKey(ClientSession session, SocketAddress remote, PublicKey offered) {
        SshTarget target = session.getConnectionContext().getAttribute(TARGET);
        AtomicReference<String> rejection = session.getConnectionContext().getAttribute(REJECTION);
        Optional<PublicKey> pinned;
        try {
            if (knownHosts.revoked(target.address(), target.port(), offered)) {
                rejection.set("host " + target.name() + " offered host key " + HostKeys.describe(offered)
                    + ", which is marked @revoked in " + knownHosts.where() + ": it must never be accepted. Give the"
                    + " worker a new host key (ssh-keygen -A after removing the old one), then run: ffdispatch host trust "
                    + target.name());
                return false;
            }
            pinned = knownHosts.pinned(target.address(), target.port());
        } catch (IOException e) {
            rejection.set("host " + target.name() + ": cannot read " + knownHosts.where() + " ("
                + e.getMessage() + "); fix the file, then run: ffdispatch host trust " + target.name());
            return false;
        }
        if (pinned.isPresent() && KeyUtils.compareKeys(pinned.get(), offered)) {
            return true;
        }
        PublicKey accepted = unpinnedAccepted.get(KnownHosts.hostPattern(target.address(), target.port()));
        if (pinned.isEmpty() && accepted != null && KeyUtils.compareKeys(accepted, offered)) {
            return true;
        }
        String where = target.name() + " (" + KnownHosts.hostPattern(target.address(), target.port()) + ")";
        String message = pinned.isEmpty()
            ? "host " + where + " offered host key " + HostKeys.describe(offered) + ", which is not pinned in "
                + knownHosts.where() + ": compare it with ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub on the worker, "
                + "then run: ffdispatch host trust " + target.name()
            : "host " + where + " offered host key " + HostKeys.describe(offered) + " but "
                + HostKeys.describe(pinned.get()) + " is pinned in " + knownHosts.where()
                + ": the host key CHANGED (reinstalled worker, or someone in between); if the change is expected, "
                + "run: ffdispatch host trust " + target.name();
        rejection.set(message);
        return false;
    }

    /** Sessions are shared by everything that logs in to the same place as the same user. */
    private record Endpoint(String address, int port, String user) {
        static Endpoint of(SshTarget target) {
            return new Endpoint(target.address(), target.port(), target.user());
        }
    }
}
