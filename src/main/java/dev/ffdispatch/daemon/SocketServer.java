package dev.ffdispatch.daemon;

import dev.ffdispatch.protocol.Frame;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's Unix socket: mode 0660 (group configurable), peers checked by their kernel
 * credentials, one thread per connection (a connection is a whole job and mostly waits).
 */
final class SocketServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SocketServer.class);

    private final Path path;
    private final PeerCheck peerCheck;
    private final BiConsumer<ShimConnection, Frame> handler;
    private final AtomicLong threads = new AtomicLong();
    private final ExecutorService connections = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "shim-" + threads.incrementAndGet());
        t.setDaemon(true);
        return t;
    });
    private ServerSocketChannel server;
    private Thread acceptor;

    /** {@code handler} gets each accepted connection with its first frame, on the connection's own thread. */
    SocketServer(Path path, PeerCheck peerCheck, BiConsumer<ShimConnection, Frame> handler) {
        this.path = path;
        this.peerCheck = peerCheck;
        this.handler = handler;
    }

    void start(String socketGroup) throws IOException {
        Files.createDirectories(path.toAbsolutePath().getParent());
        removeStaleSocket();
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-rw----"));
        if (socketGroup != null && !socketGroup.isBlank()) {
            GroupPrincipal group = path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(socketGroup);
            Files.getFileAttributeView(path, PosixFileAttributeView.class).setGroup(group);
        }
        acceptor = new Thread(this::acceptLoop, "socket-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
        LOG.info("socket(path={}) listening, mode 0660{}", path,
            socketGroup == null || socketGroup.isBlank() ? "" : " group " + socketGroup);
    }

    /**
     * A socket file left by a crashed daemon blocks bind; one that still answers belongs to a
     * running daemon, and starting a second one would steal its jobs.
     */
    private void removeStaleSocket() throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            throw new IOException("another ffdispatch daemon is already listening on " + path
                + "; stop it first (systemctl stop ffdispatch) or set daemon.socket to another path");
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("another ffdispatch daemon")) {
                throw e;
            }
            Files.deleteIfExists(path);
            LOG.info("socket(path={}) removed a stale socket file left by an earlier run", path);
        }
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
        try {
            String refusal = peerCheck.refusal(channel);
            if (refusal != null) {
                LOG.warn("socket(path={}) refused a peer: {}", path, refusal);
                shim.tellStderr(refusal);
                shim.send(Frame.exit(dev.ffdispatch.protocol.ExitCodes.PROTOCOL));
                return;
            }
            Frame first = shim.read();
            if (first == null) {
                return;
            }
            handler.accept(shim, first);
        } catch (IOException e) {
            LOG.debug("socket(path={}) connection ended early: {}", path, e.toString());
        } catch (RuntimeException e) {
            LOG.error("socket(path={}) connection handler failed", path, e);
        } finally {
            shim.close();
        }
    }

    /** Stops accepting new connections and removes the socket file; running jobs go on. */
    @Override
    public void close() {
        try {
            if (server != null) {
                server.close();
            }
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.warn("socket(path={}) close failed: {}", path, e.toString());
        }
    }
}
