package dev.ffdispatch.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.nio.ByteBuffer;
import java.time.Duration;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.ffdispatch.TestTimeouts;
import dev.ffdispatch.protocol.ChannelStreams;
import dev.ffdispatch.posix.JobExitCodes;
import dev.ffdispatch.protocol.Frame;
import dev.ffdispatch.protocol.FrameCodec;
import dev.ffdispatch.protocol.FrameType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The socket file: only a dead socket is ever removed; anything else at the path is kept. */
class SocketServerTest {
    @TempDir
    Path dir;

    private SocketServer server(Path path) {
        return new SocketServer(path, new PeerCheck(System.getProperty("user.name"), List.of(), List.of()),
            (shim, first) -> { });
    }

    @Test
    void aRegularFileAtTheSocketPathIsKeptAndTheStartIsRefusedNamingThePath() throws Exception {
        Path path = dir.resolve("ffdispatch.sock");
        Files.writeString(path, "precious data");
        SocketServer server = server(path);
        IOException e = assertThrows(IOException.class, () -> server.start(null));
        server.close();
        assertTrue(e.getMessage().contains(path.toString()) && e.getMessage().contains("not a socket")
            && e.getMessage().contains("daemon.socket"), e.getMessage());
        assertEquals("precious data", Files.readString(path));
    }

    @Test
    void aDirectoryAtTheSocketPathIsKeptAndTheStartIsRefused() throws Exception {
        Path path = dir.resolve("ffdispatch.sock");
        Files.createDirectories(path.resolve("inside"));
        SocketServer server = server(path);
        IOException e = assertThrows(IOException.class, () -> server.start(null));
        server.close();
        assertTrue(e.getMessage().contains(path.toString()) && e.getMessage().contains("directory"), e.getMessage());
        assertTrue(Files.isDirectory(path.resolve("inside")));
    }

    @Test
    void aLiveSocketIsRefusedAndKeptEvenWhenTheRefusedServerCloses() throws Exception {
        Path path = dir.resolve("ffdispatch.sock");
        SocketServer first = server(path);
        first.start(null);
        try {
            SocketServer second = server(path);
            IOException e = assertThrows(IOException.class, () -> second.start(null));
            assertTrue(e.getMessage().contains("already listening"), e.getMessage());
            second.close(); // what a failed Daemon.start does
            try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
                assertTrue(client.isConnected(), "the first daemon still answers on " + path);
            }
        } finally {
            first.close();
        }
    }

    @Test
    void aStaleSocketIsReplacedAndTheOwnSocketRemovedAtStop() throws Exception {
        Path path = dir.resolve("ffdispatch.sock");
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(path));
        }
        assertTrue(Files.exists(path), "a crashed daemon's socket file stays");
        SocketServer server = server(path);
        server.start(null);
        try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            assertTrue(client.isConnected());
        }
        server.close();
        assertTrue(Files.notExists(path));
    }

    @Test
    void aFileThatReplacedTheSocketWhileRunningIsNotDeletedAtStop() throws Exception {
        Path path = dir.resolve("ffdispatch.sock");
        SocketServer server = server(path);
        server.start(null);
        Files.delete(path);
        Files.writeString(path, "someone else's file");
        server.close();
        assertEquals("someone else's file", Files.readString(path));
    }

    @Test
    void anUnknownSocketGroupIsAClearErrorNamingTheGroup() throws Exception {
        Path path = dir.resolve("ffdispatch.sock");
        SocketServer server = server(path);
        IOException e = assertThrows(IOException.class, () -> server.start("nosuchgroup"));
        server.close();
        assertTrue(e.getMessage() != null && e.getMessage().contains("nosuchgroup")
            && e.getMessage().contains("daemon.socket_group"), String.valueOf(e.getMessage()));
        assertTrue(Files.notExists(path), "no socket left behind");
    }

    @Test
    void aConnectionThatSendsNothingIsClosedAfterTheFirstFrameTimeout() throws Exception {
        Path path = dir.resolve("ffdispatch.sock");
        SocketServer server = new SocketServer(path, anyone(), (shim, first) -> { },
            new SocketServer.Limits(Duration.ofMillis(300), 100, 100));
        server.start(null);
        try (SocketChannel idle = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            String end = readUntilClosed(idle, TestTimeouts.SHORT);
            assertTrue(end.startsWith("closed"), end);
        } finally {
            server.close();
        }
    }

    @Test
    void connectionsBeyondThePerUserCapGetAnExitFrameAndTheOthersStay() throws Exception {
        Path path = dir.resolve("ffdispatch.sock");
        SocketServer server = new SocketServer(path, anyone(), (shim, first) -> { },
            new SocketServer.Limits(TestTimeouts.MEDIUM, 10, 3));
        server.start(null);
        List<SocketChannel> held = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                held.add(SocketChannel.open(UnixDomainSocketAddress.of(path)));
                long deadline = System.nanoTime() + TestTimeouts.SHORT.toNanos();
                while (server.openConnections() < i + 1 && System.nanoTime() < deadline) {
                    Thread.sleep(5); // each connection is counted on its own thread: wait for it
                }
            }
            try (SocketChannel fourth = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
                String end = readUntilClosed(fourth, TestTimeouts.SHORT);
                assertTrue(end.contains("exit " + JobExitCodes.PROTOCOL) && end.contains("connections"), end);
            }
            for (SocketChannel c : held) {
                c.configureBlocking(false);
                assertEquals(0, c.read(ByteBuffer.allocate(16)), "held connections stay open");
            }
        } finally {
            for (SocketChannel c : held) {
                c.close();
            }
            server.close();
        }
    }

    @Test
    void aMalformedFrameIsLoggedAtWarn() throws Exception {
        Path path = dir.resolve("ffdispatch.sock");
        ch.qos.logback.classic.Logger logger =
            (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(SocketServer.class);
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        logger.addAppender(events);
        SocketServer server = server(path);
        server.start(null);
        try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            client.write(ByteBuffer.wrap(new byte[] {0x7f, 0, 0, 0, 1, 0}));
            readUntilClosed(client, TestTimeouts.SHORT);
        } finally {
            server.close();
            logger.detachAppender(events);
        }
        assertTrue(events.list.stream().anyMatch(e -> e.getLevel() == Level.WARN
            && e.getFormattedMessage().contains("0x7f")), events.list.toString());
    }

    private static PeerCheck anyone() {
        return new PeerCheck(System.getProperty("user.name"), List.of(), List.of());
    }

    /** "closed" plus the frames seen, once the server closes the connection; "open" if it did not in time. */
    private static String readUntilClosed(SocketChannel channel, Duration limit) throws Exception {
        StringBuilder seen = new StringBuilder();
        java.util.concurrent.ExecutorService reader = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            java.util.concurrent.Future<String> f = reader.submit(() -> {
                java.io.InputStream in = ChannelStreams.in(channel);
                try {
                    for (Frame frame = FrameCodec.read(in); frame != null; frame = FrameCodec.read(in)) {
                        seen.append(frame.type() == FrameType.EXIT ? " exit " + frame.exitCode()
                            : " " + new String(frame.payload(), java.nio.charset.StandardCharsets.UTF_8));
                    }
                } catch (java.io.IOException e) {
                    seen.append(" (").append(e.getMessage()).append(")");
                }
                return "closed" + seen;
            });
            return f.get(limit.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            return "open after " + limit.toMillis() + " ms" + seen;
        } finally {
            reader.shutdownNow();
        }
    }
}
