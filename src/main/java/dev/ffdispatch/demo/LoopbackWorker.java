package dev.ffdispatch.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.ffdispatch.ssh.WorkerCommands;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real SSH worker on 127.0.0.1 inside this JVM: MINA {@code SshServer}, public-key login for
 * the authorized keys only, commands run with {@code /bin/sh -c}. Used by {@code ffdispatch demo}
 * and by tests.
 *
 * <p>The probe (over the worker link, {@link WorkerCommands#link}, or as the one-shot
 * {@link WorkerCommands#FFMPEG_COUNT}) is answered by the worker itself: the ffmpeg processes
 * this worker started plus {@link #foreignFfmpeg(int)}, because all loopback workers share one
 * process table and a real pgrep would count every worker's jobs. The link's other requests run
 * with {@code /bin/sh -c} like any command.
 *
 * <p>{@link #stop()} is a dead host: the server and its sessions go away, processes keep
 * running (as when a network link dies). {@link #close()} also kills what this worker started.
 */
public final class LoopbackWorker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LoopbackWorker.class);
    private static final String LOOPBACK = "127.0.0.1";
    private static final int IO_THREADS = 2;

    private final String name;
    private final SimpleGeneratorHostKeyProvider hostKeys;
    private final List<PublicKey> authorized = new CopyOnWriteArrayList<>();
    private final List<String> commands = new CopyOnWriteArrayList<>();
    private final Set<ProcessHandle> started = ConcurrentHashMap.newKeySet();
    private volatile int foreignFfmpeg;
    private volatile int maxChannelsPerSession;
    private volatile int port;
    private SshServer server;

    private LoopbackWorker(String name, Path dir, PublicKey authorized) {
        this.name = name;
        this.hostKeys = new SimpleGeneratorHostKeyProvider(dir.resolve("hostkey.ser"));
        this.hostKeys.setAlgorithm(KeyUtils.EC_ALGORITHM);
        this.hostKeys.setKeySize(256);
        this.authorized.add(authorized);
    }

    /** Starts a worker on a free port; its host key lives in {@code dir} (created when missing). */
    public static LoopbackWorker start(String name, Path dir, PublicKey authorized) throws IOException {
        return start(name, dir, authorized, 0);
    }

    /** Starts a worker on {@code port} (0: a free one). */
    public static LoopbackWorker start(String name, Path dir, PublicKey authorized, int port) throws IOException {
        Files.createDirectories(dir);
        LoopbackWorker worker = new LoopbackWorker(name, dir, authorized);
        worker.port = port;
        worker.open();
        return worker;
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    /** The worker's host key (the one {@code ffdispatch host trust} pins). */
    public PublicKey hostKey() {
        return hostKeys.loadKeys(null).iterator().next().getPublic();
    }

    /** Also accepts logins with {@code key}. */
    public void authorize(PublicKey key) {
        authorized.add(key);
    }

    /**
     * Refuses channel opens beyond {@code max} per session, as OpenSSH does at MaxSessions (0: no
     * limit, the default); applies to new channels.
     */
    public void maxChannelsPerSession(int max) {
        maxChannelsPerSession = max;
    }

    /** Pretends {@code n} ffmpeg processes that ffdispatch did not start run on this worker. */
    public void foreignFfmpeg(int n) {
        foreignFfmpeg = n;
    }

    /** Live processes named ffmpeg that this worker started (its shells and their descendants). */
    public int liveFfmpeg() {
        Set<ProcessHandle> seen = new HashSet<>();
        for (ProcessHandle handle : started) {
            if (handle.isAlive()) {
                seen.add(handle);
                handle.descendants().forEach(seen::add);
            }
        }
        started.removeIf(h -> !h.isAlive());
        // Remember descendants: once their shell exits they are re-parented and no longer found below it.
        started.addAll(seen);
        return (int) seen.stream().filter(ProcessHandle::isAlive).filter(LoopbackWorker::isFfmpeg).count();
    }

    /** Commands received, in order (the probe included). */
    public List<String> commands() {
        return List.copyOf(commands);
    }

    /** Stops the server and drops its sessions, like a dead host; started processes keep running. */
    public synchronized void stop() throws IOException {
        if (server != null) {
            server.stop(true);
            server = null;
            LOG.info("loopback(worker={}) stopped port={}", name, port);
        }
    }

    /** Starts again on the same port with the same host key. */
    public synchronized void restart() throws IOException {
        stop();
        open();
    }

    /** Stops the server and kills every process this worker started. */
    @Override
    public void close() throws IOException {
        stop();
        liveFfmpeg(); // collects descendants
        for (ProcessHandle handle : started) {
            handle.descendants().forEach(ProcessHandle::destroyForcibly);
            handle.destroyForcibly();
        }
        started.clear();
    }

    private synchronized void open() throws IOException {
        SshServer created = SshServer.setUpDefaultServer();
        created.setHost(LOOPBACK);
        created.setPort(port);
        created.setKeyPairProvider(hostKeys);
        created.setPublickeyAuthenticator((user, key, session) ->
            authorized.stream().anyMatch(k -> KeyUtils.compareKeys(k, key)));
        created.setPasswordAuthenticator(null);
        created.setKeyboardInteractiveAuthenticator(null);
        created.setCommandFactory((channel, command) -> command(command));
        CoreModuleProperties.TCP_NODELAY.set(created, true);
        CoreModuleProperties.NIO_WORKERS.set(created, IO_THREADS);
        created.setChannelFactories(List.of(LimitedChannelSession.factory(() -> maxChannelsPerSession)));
        created.start();
        port = created.getPort();
        server = created;
        LOG.info("loopback(worker={}) listening address={}:{}", name, LOOPBACK, port);
    }

    private org.apache.sshd.server.command.Command command(String command) {
        commands.add(command);
        String token = WorkerCommands.linkToken(command);
        if (token != null) {
            return new LoopbackLink(token, () -> liveFfmpeg() + foreignFfmpeg);
        }
        if (WorkerCommands.FFMPEG_COUNT.equals(command)) {
            return new ShellCommand("echo ok " + (liveFfmpeg() + foreignFfmpeg), p -> { });
        }
        return new ShellCommand(command, process -> started.add(process.toHandle()));
    }

    private static boolean isFfmpeg(ProcessHandle handle) {
        return handle.info().command().map(c -> c.endsWith("/ffmpeg")).orElse(false);
    }
}
