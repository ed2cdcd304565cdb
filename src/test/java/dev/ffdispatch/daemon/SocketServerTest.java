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
import java.util.List;
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
}
