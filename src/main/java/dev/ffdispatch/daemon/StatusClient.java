package dev.ffdispatch.daemon;

import dev.ffdispatch.protocol.ChannelStreams;
import dev.ffdispatch.protocol.Frame;
import dev.ffdispatch.protocol.FrameCodec;
import dev.ffdispatch.protocol.FrameType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Asks a running daemon for its {@link StatusReply} over its Unix socket: the daemon's admin API
 * for {@code status} and {@code doctor}. A Unix socket read has no timeout of its
 * own, so the exchange runs on a helper thread and the channel is closed when time is up.
 */
public final class StatusClient {
    /** Long enough for a daemon under load, short enough that status and doctor never hang. */
    public static final Duration TIMEOUT = Duration.ofSeconds(5);

    /**
     * The daemon's answer, or why there is none and what to do.
     *
     * @param reply what the daemon answered; null when it did not
     * @param problem why there is no answer; null when there is
     * @param fix what to do about the problem; null when there is an answer
     */
    public record Answer(StatusReply reply, String problem, String fix) {
        public boolean up() {
            return reply != null;
        }
    }

    private StatusClient() {
    }

    /** Asks the daemon listening on {@code socket}; never waits longer than {@code timeout}. */
    public static Answer ask(Path socket, Duration timeout) {
        if (!Files.exists(socket)) {
            return down("the daemon is not running: no socket at " + socket,
                "start it: systemctl start ffdispatch (or ffdispatch daemon); check daemon.socket in the config");
        }
        SocketChannel channel;
        try {
            channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            return refused(socket, e);
        }
        CompletableFuture<Answer> answer = CompletableFuture.supplyAsync(() -> exchange(channel));
        try {
            return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return down("the daemon at " + socket + " did not answer STATUS within " + timeout.toMillis() + " ms",
                "it may be overloaded or stuck: journalctl -u ffdispatch; restart it if it stays so");
        } catch (ExecutionException e) {
            return down("the daemon at " + socket + " failed to answer: " + e.getCause(), "see journalctl -u ffdispatch");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return down("interrupted while asking the daemon", "run the command again");
        } finally {
            closeQuietly(channel);
        }
    }

    private static Answer refused(Path socket, IOException e) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("ermission denied")) {
            return down("cannot connect to " + socket + ": permission denied for user " + System.getProperty("user.name"),
                "run as the daemon's user or as a member of the socket's group (daemon.socket_group), e.g. sudo -u ffdispatch");
        }
        return down("the daemon is not running: " + socket + " refuses connections (" + message + ")",
            "start it: systemctl start ffdispatch (a stale socket file is removed when it starts)");
    }

    private static Answer exchange(SocketChannel channel) {
        try {
            FrameCodec.write(ChannelStreams.out(channel), FrameType.STATUS, new byte[0], 0, 0);
            InputStream in = ChannelStreams.in(channel);
            ByteArrayOutputStream stderr = new ByteArrayOutputStream();
            for (Frame frame = FrameCodec.read(in); frame != null; frame = FrameCodec.read(in)) {
                if (frame.type() == FrameType.STATUS_REPLY) {
                    return new Answer(StatusReply.fromJson(frame.payload()), null, null);
                }
                if (frame.type() == FrameType.STDERR) {
                    stderr.write(frame.payload());
                }
            }
            String said = stderr.toString(StandardCharsets.UTF_8).strip();
            return down("the daemon closed the connection without a status" + (said.isEmpty() ? "" : ": " + said),
                said.isEmpty() ? "see journalctl -u ffdispatch"
                    : "add this user to daemon.allowed_users or its group to daemon.allowed_groups, or run as the daemon's user");
        } catch (IOException e) {
            return down("talking to the daemon failed: " + e.getMessage(), "see journalctl -u ffdispatch");
        }
    }

    private static Answer down(String problem, String fix) {
        return new Answer(null, problem, fix);
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // closing after the answer or a timeout: nothing to do
        }
    }
}
