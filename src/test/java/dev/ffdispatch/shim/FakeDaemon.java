package dev.ffdispatch.shim;

import dev.ffdispatch.TestTimeouts;
import dev.ffdispatch.posix.NamedThreads;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A daemon stand-in: listens on a Unix socket, decodes the JOB frame of one connection and lets
 * the test script the rest of the conversation. Single connection at a time. As a program
 * ({@link #main}) it is bench/shim-startup's daemon, answering every job the same way.
 */
public final class FakeDaemon implements AutoCloseable {

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
        this.server = bind(socket);
        NamedThreads.start("fake-daemon", () -> serveOne(script));
    }

    /**
     * For bench/shim-startup, so the benchmark measures the shim's whole path against a real
     * listening socket and nothing of a real daemon: answers every JOB with one STDOUT line
     * ({@code args[1]}, default "ffmpeg version fake") and EXIT 0, until killed.
     * {@code java -cp target/classes:target/test-classes dev.ffdispatch.shim.FakeDaemon <socket> [stdout-line]}
     */
    public static void main(String[] args) throws IOException {
        Path socket = Path.of(args[0]);
        byte[] line = ((args.length > 1 ? args[1] : "ffmpeg version fake") + "\n").getBytes(StandardCharsets.UTF_8);
        Files.deleteIfExists(socket);
        ServerSocketChannel server = bind(socket);
        System.err.println("fake daemon listening on " + socket);
        while (true) {
            SocketChannel channel = server.accept();
            NamedThreads.start("fake-daemon-job", () -> answer(channel, line));
        }
    }

    private static void answer(SocketChannel channel, byte[] line) {
        try (channel) {
            Conversation conversation = new Conversation(channel);
            JobRequest.fromFrame(conversation.next());
            conversation.send(FrameType.STDOUT, line);
            conversation.exit(0);
        } catch (IOException e) {
            System.err.println("fake daemon: " + e);
        }
    }

    private static ServerSocketChannel bind(Path socket) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        return server;
    }

    Path socket() {
        return socket;
    }

    /** The JOB the shim sent. */
    JobRequest job() throws Exception {
        return job.get(TestTimeouts.SHORT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Waits for the script to finish and rethrows what it threw (a failed assertion included). */
    void awaitScript() throws Exception {
        try {
            done.get(TestTimeouts.MEDIUM.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
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
