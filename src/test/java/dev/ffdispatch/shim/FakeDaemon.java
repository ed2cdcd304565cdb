package dev.ffdispatch.shim;

import dev.ffdispatch.protocol.Frame;
import dev.ffdispatch.protocol.FrameCodec;
import dev.ffdispatch.protocol.FrameType;
import dev.ffdispatch.protocol.JobRequest;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A daemon stand-in for tests: listens on a Unix socket, decodes the JOB frame of one connection
 * and lets the test script the rest of the conversation. Single connection at a time.
 */
final class FakeDaemon implements AutoCloseable {

    /** What the fake does with one connection after reading its JOB frame. */
    interface Script {
        void serve(JobRequest job, Conversation conversation) throws Exception;
    }

    /** One accepted connection, spoken in frames. */
    static final class Conversation {
        private final InputStream in;
        private final OutputStream out;

        Conversation(SocketChannel channel) throws IOException {
            // Blocking streams from one thread only, so the JDK 17 lock-sharing of Channels is harmless here.
            this.in = new DataInputStream(Channels.newInputStream(channel));
            this.out = Channels.newOutputStream(channel);
        }

        void send(FrameType type, byte[] data) throws IOException {
            FrameCodec.write(out, type, data, 0, data.length);
        }

        /** Bytes as they are, to split frames anywhere or send what no daemon should. */
        void sendRaw(byte[] bytes) throws IOException {
            out.write(bytes);
        }

        void exit(int code) throws IOException {
            FrameCodec.write(out, Frame.exit(code));
        }

        /** The next frame from the shim, or null when it closed the connection. */
        Frame next() throws IOException {
            return FrameCodec.read(in);
        }
    }

    private final Path socket;
    private final ServerSocketChannel server;
    private final CompletableFuture<JobRequest> job = new CompletableFuture<>();
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    FakeDaemon(Path socket, Script script) throws IOException {
        this.socket = socket;
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Thread thread = new Thread(() -> serveOne(script), "fake-daemon");
        thread.setDaemon(true);
        thread.start();
    }

    Path socket() {
        return socket;
    }

    /** The JOB the shim sent. */
    JobRequest job() throws Exception {
        return job.get(dev.ffdispatch.TestTimeouts.SHORT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Waits for the script to finish and rethrows what it threw (a failed assertion included). */
    void awaitScript() throws Exception {
        try {
            done.get(dev.ffdispatch.TestTimeouts.MEDIUM.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw new AssertionError(e.getCause());
        }
    }

    private void serveOne(Script script) {
        try (SocketChannel channel = server.accept()) {
            Conversation conversation = new Conversation(channel);
            JobRequest request = JobRequest.fromFrame(conversation.next());
            job.complete(request);
            script.serve(request, conversation);
            done.complete(null);
        } catch (Throwable e) {
            job.completeExceptionally(e);
            done.completeExceptionally(e);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        Files.deleteIfExists(socket);
    }
}
