package dev.ffdispatch.daemon;

import dev.ffdispatch.posix.NamedThreads;
import dev.ffdispatch.protocol.ChannelStreams;
import dev.ffdispatch.protocol.Frame;
import dev.ffdispatch.protocol.FrameCodec;
import dev.ffdispatch.protocol.FrameType;
import dev.ffdispatch.protocol.JobRequest;
import dev.ffdispatch.protocol.Tool;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Test fixture: jobs over a daemon's socket from this JVM, speaking the protocol as the shim
 * does, with no JVM start per call (the daemon tests and the bench). Blocking socket reads have
 * no timeout of their own, so a watchdog closes the channel at the deadline.
 */
public final class SocketJobs {
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(
        NamedThreads.factory("socket-watchdog"));

    private SocketJobs() {
    }

    /** A finished job: its exit code and everything it wrote. */
    public record Result(int exitCode, byte[] stdout, byte[] stderr) {
        public String stderrText() {
            return new String(stderr, StandardCharsets.UTF_8);
        }
    }

    /** Runs {@code request} to its end with stdin at EOF and keeps what it wrote. */
    public static Result call(Path socket, JobRequest request, Duration timeout) throws IOException {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int code = run(socket, request, stdout, stderr, timeout);
        return new Result(code, stdout.toByteArray(), stderr.toByteArray());
    }

    /** Runs a job to its end with stdin at EOF; returns the exit code, stdout bytes go to {@code stdout}. */
    public static int run(Path socket, Tool tool, List<String> args, OutputStream stdout, Duration timeout) throws IOException {
        return run(socket, new JobRequest(tool, bytes(args), new byte[0], Map.of()), stdout, new ByteArrayOutputStream(),
            timeout);
    }

    private static int run(Path socket, JobRequest request, OutputStream stdout, ByteArrayOutputStream stderr,
                           Duration timeout) throws IOException {
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            ScheduledFuture<?> watchdog = closeAfter(channel, timeout);
            try {
                OutputStream out = ChannelStreams.out(channel);
                FrameCodec.write(out, request.toFrame());
                FrameCodec.write(out, FrameType.STDIN_EOF, new byte[0], 0, 0);
                return awaitExit(ChannelStreams.in(channel), stdout, stderr, socket);
            } finally {
                watchdog.cancel(false);
            }
        }
    }

    /** Starts a job and leaves it running with stdin open; the job lives until {@link Held#release}. */
    public static Held hold(Path socket, Tool tool, List<String> args) throws IOException {
        SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        FrameCodec.write(ChannelStreams.out(channel), new JobRequest(tool, bytes(args), new byte[0], Map.of()).toFrame());
        return new Held(channel, socket);
    }

    /** A running job held open by this JVM. */
    public record Held(SocketChannel channel, Path socket) {
        /** Sends a line and EOF to the job's stdin and waits for its exit code. */
        public int release(Duration timeout) throws IOException {
            try (channel) {
                ScheduledFuture<?> watchdog = closeAfter(channel, timeout);
                try {
                    OutputStream out = ChannelStreams.out(channel);
                    byte[] line = "go\n".getBytes(StandardCharsets.US_ASCII);
                    FrameCodec.write(out, FrameType.STDIN, line, 0, line.length);
                    try {
                        FrameCodec.write(out, FrameType.STDIN_EOF, new byte[0], 0, 0);
                    } catch (IOException e) {
                        // The job may read the line, exit, and the daemon close the connection before
                        // this frame goes out (a descheduled thread on a busy machine): EXIT is still there.
                    }
                    return awaitExit(ChannelStreams.in(channel), OutputStream.nullOutputStream(), new ByteArrayOutputStream(),
                        socket);
                } finally {
                    watchdog.cancel(false);
                }
            }
        }
    }

    /** Arguments as the bytes a job request carries (UTF-8). */
    public static List<byte[]> bytes(List<String> args) {
        List<byte[]> out = new ArrayList<>();
        args.forEach(a -> out.add(a.getBytes(StandardCharsets.UTF_8)));
        return out;
    }

    private static int awaitExit(InputStream in, OutputStream stdout, ByteArrayOutputStream stderr, Path socket)
            throws IOException {
        for (Frame frame = FrameCodec.read(in); frame != null; frame = FrameCodec.read(in)) {
            switch (frame.type()) {
                case STDOUT -> stdout.write(frame.payload());
                case STDERR -> stderr.write(frame.payload());
                case EXIT -> {
                    return frame.exitCode();
                }
                default -> throw new IOException("daemon on " + socket + " sent an unexpected " + frame.type());
            }
        }
        throw new IOException("daemon on " + socket + " closed the connection without EXIT; stderr: "
            + stderr.toString(StandardCharsets.UTF_8));
    }

    private static ScheduledFuture<?> closeAfter(SocketChannel channel, Duration timeout) {
        return WATCHDOG.schedule(() -> {
            try {
                channel.close(); // unblocks the reader with an AsynchronousCloseException
            } catch (IOException e) {
                // closing a channel that is already broken: nothing else to do
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
