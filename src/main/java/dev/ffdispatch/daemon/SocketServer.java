package dev.ffdispatch.daemon;

import dev.ffdispatch.posix.JobExitCodes;
import dev.ffdispatch.posix.NamedThreads;
import dev.ffdispatch.protocol.Frame;
import dev.ffdispatch.protocol.ProtocolException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's Unix socket: mode 0660 (group configurable), peers checked by their kernel
 * credentials, one thread per connection (a connection is a whole job and mostly waits).
 * A connection must send its request within {@link Limits#firstFrame}, and connections are
 * capped per peer user and in all ({@link Limits}), so idle connections cannot pile up threads.
 */
final class SocketServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SocketServer.class);

    private final Path path;
    private final PeerCheck peerCheck;
    private final BiConsumer<ShimConnection, Frame> handler;
    private final ExecutorService connections = Executors.newCachedThreadPool(NamedThreads.factory("shim"));
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
        NamedThreads.factory("socket-timer"));
    /** Open connections per peer user, and in all; guarded by {@code perUser}. */
    private final Map<String, Integer> perUser = new HashMap<>();
    private int open;
    private ServerSocketChannel server;
    /** The inode this server bound, so close() removes only its own socket file. */
    private volatile Object boundFile;
    private Thread acceptor;

    /**
     * What one local user can hold of the daemon.
     *
     * @param firstFrame how long a new connection may take to send its request
     * @param total connections at once, all users together
     * @param perUser connections at once from one user (by the kernel's peer credentials)
     */
    record Limits(Duration firstFrame, int total, int perUser) {
        static final Limits DEFAULT = new Limits(Duration.ofSeconds(10), 1024, 512);
    }

    private final Limits limits;

    /** {@code handler} gets each accepted connection with its first frame, on the connection's own thread. */
    SocketServer(Path path, PeerCheck peerCheck, BiConsumer<ShimConnection, Frame> handler) {
        this(path, peerCheck, handler, Limits.DEFAULT);
    }

    SocketServer(Path path, PeerCheck peerCheck, BiConsumer<ShimConnection, Frame> handler, Limits limits) {
        this.path = path;
        this.peerCheck = peerCheck;
        this.handler = handler;
        this.limits = limits;
    }

    void start(String socketGroup) throws IOException {
        Files.createDirectories(path.toAbsolutePath().getParent());
        GroupPrincipal group = socketGroup == null || socketGroup.isBlank() ? null : group(socketGroup);
        removeStaleSocket();
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        boundFile = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-rw----"));
        if (group != null) {
            Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setGroup(group);
        }
        acceptor = NamedThreads.start("socket-acceptor", this::acceptLoop);
        LOG.info("socket(path={}) listening, mode 0660{}", path, group == null ? "" : " group " + socketGroup);
    }

    private GroupPrincipal group(String name) throws IOException {
        try {
            return path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(name);
        } catch (UserPrincipalNotFoundException e) {
            throw new IOException("daemon.socket_group '" + name + "' is not a group on this machine (getent group "
                + name + " finds nothing); create it (groupadd " + name + ") or set daemon.socket_group to an existing"
                + " group, such as the one Jellyfin runs as", e);
        }
    }

    /**
     * A socket file left by a crashed daemon blocks bind and is removed. Anything else stays: a
     * socket that still answers belongs to a running daemon (starting a second one would steal
     * its jobs), and a file, directory or link at the path is someone's data, not ours.
     */
    private void removeStaleSocket() throws IOException {
        String kind = kindOf(path);
        if (kind == null) {
            return;
        }
        if (!kind.equals("socket")) {
            throw new IOException("daemon.socket " + path + " is a " + kind + ", not a socket; the daemon does not"
                + " remove it. Move it away (or set daemon.socket to another path) and start again");
        }
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            throw new IOException("another ffdispatch daemon is already listening on " + path
                + "; stop it first (systemctl stop ffdispatch) or set daemon.socket to another path");
        } catch (ConnectException e) {
            // ECONNREFUSED: a socket file nobody listens on, left by an earlier run.
            Files.delete(path);
            LOG.info("socket(path={}) removed a stale socket file left by an earlier run", path);
        } catch (SocketException e) {
            throw new IOException("daemon.socket " + path + " is a socket that cannot be tested (" + e.getMessage()
                + "); if no daemon uses it, remove it (rm " + path + ") and start again", e);
        }
    }

    /** "socket", "regular file", "directory", ... for what is at {@code file}; null when nothing is. */
    static String kindOf(Path file) throws IOException {
        int mode;
        try {
            mode = (Integer) Files.getAttribute(file, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
        return switch (mode & 0170000) {
            case 0140000 -> "socket";
            case 0100000 -> "regular file";
            case 0040000 -> "directory";
            case 0120000 -> "symbolic link";
            case 0010000 -> "named pipe";
            default -> "device or special file";
        };
    }

    private void acceptLoop() {
        while (true) {
            SocketChannel channel;
            try {
                channel = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                LOG.warn("socket(path={}) accept failed: {}", path, e.toString());
                continue;
            }
            connections.execute(() -> serve(channel));
        }
    }

    private void serve(SocketChannel channel) {
        ShimConnection shim = new ShimConnection(channel);
        String user = null;
        try {
            String refusal = peerCheck.refusal(channel);
            if (refusal != null) {
                LOG.warn("socket(path={}) refused a peer: {}", path, refusal);
                refuse(shim, refusal);
                return;
            }
            user = PeerCheck.user(channel);
            String full = admit(user);
            if (full != null) {
                user = null; // nothing was counted
                LOG.warn("socket(path={}) refused a connection: {}", path, full);
                refuse(shim, full);
                return;
            }
            Frame first = readFirst(shim, user);
            if (first == null) {
                return;
            }
            handler.accept(shim, first);
        } catch (ProtocolException e) {
            LOG.warn("socket(path={}) bad frame from user {}, connection closed: {}", path, user, e.getMessage());
        } catch (IOException e) {
            LOG.debug("socket(path={}) connection ended early: {}", path, e.toString());
        } catch (RuntimeException e) {
            LOG.error("socket(path={}) connection handler failed", path, e);
        } finally {
            if (user != null) {
                release(user);
            }
            shim.close();
        }
    }

    /** The request, or null when the peer closed or sent nothing within {@link Limits#firstFrame}. */
    private Frame readFirst(ShimConnection shim, String user) throws IOException {
        AtomicBoolean late = new AtomicBoolean();
        ScheduledFuture<?> deadline = timer.schedule(() -> {
            late.set(true);
            shim.close();
        }, limits.firstFrame().toMillis(), TimeUnit.MILLISECONDS);
        try {
            return shim.read();
        } catch (IOException e) {
            if (late.get()) {
                LOG.warn("socket(path={}) no request from user {} within {} ms, connection closed", path, user,
                    limits.firstFrame().toMillis());
                return null;
            }
            throw e;
        } finally {
            deadline.cancel(false);
        }
    }

    /** Counts the connection in; null when admitted, else why not (the count is then unchanged). */
    private String admit(String user) {
        synchronized (perUser) {
            int mine = perUser.getOrDefault(user, 0);
            if (open >= limits.total() || mine >= limits.perUser()) {
                return "too many connections to the daemon (" + open + " open, " + mine + " from user " + user
                    + "; limits " + limits.total() + " in all, " + limits.perUser() + " per user); try again when"
                    + " running jobs have ended, and look for a program that opens connections without using them";
            }
            perUser.put(user, mine + 1);
            open++;
            return null;
        }
    }

    /** Connections counted in now (tests wait for it instead of sleeping). */
    int openConnections() {
        synchronized (perUser) {
            return open;
        }
    }

    private void release(String user) {
        synchronized (perUser) {
            perUser.computeIfPresent(user, (u, n) -> n <= 1 ? null : n - 1);
            open--;
        }
    }

    private static void refuse(ShimConnection shim, String why) {
        shim.tellStderr(why);
        shim.send(Frame.exit(JobExitCodes.PROTOCOL));
    }

    /**
     * Stops accepting new connections and removes the socket file if it is still the one this
     * server bound (not another daemon's, nor a file put there since); running jobs go on.
     */
    @Override
    public void close() {
        try {
            if (server != null) {
                server.close();
            }
            timer.shutdownNow();
            if (boundFile != null && "socket".equals(kindOf(path)) && boundFile.equals(
                    Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey())) {
                Files.delete(path);
            }
        } catch (IOException e) {
            LOG.warn("socket(path={}) close failed: {}", path, e.toString());
        }
    }
}
