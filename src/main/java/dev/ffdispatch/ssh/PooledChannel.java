package dev.ffdispatch.ssh;

import dev.ffdispatch.posix.FlushingOutputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.session.ClientSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** An open exec channel on a pooled session; its end is known from the channel's CLOSED event. */
final class PooledChannel implements RemoteChannel {
    private static final Logger LOG = LoggerFactory.getLogger(PooledChannel.class);

    private final SshTarget target;
    private final ChannelExec channel;
    private final ClientSession session;
    private final OutputStream stdin;
    private final CompletableFuture<RemoteExit> exit = new CompletableFuture<>();
    private final AtomicBoolean closedByUs = new AtomicBoolean();

    /** Call once the channel is open (a close that happened already still completes {@link #exit()}). */
    PooledChannel(SshTarget target, ChannelExec channel, ClientSession session) {
        this.target = target;
        this.channel = channel;
        this.session = session;
        // Data handlers run on the session's I/O thread in arrival order, so by the time the
        // close event is handled every stdout/stderr byte has been written to the caller's streams.
        channel.addCloseFutureListener(future -> exit.complete(ended()));
        this.stdin = new FlushingOutputStream(channel.getInvertedIn(), true);
    }

    @Override
    public OutputStream stdin() {
        return stdin;
    }

    @Override
    public CompletableFuture<RemoteExit> exit() {
        return exit;
    }

    @Override
    public void close() {
        closedByUs.set(true);
        channel.close(false);
    }

    ClientSession session() {
        return session;
    }

    private RemoteExit ended() {
        // The session closes (and takes its channels with it) before the peer's channel CLOSE
        // could arrive: the job's end on the worker is unknown.
        boolean lost = !closedByUs.get() && (session.isClosing() || session.isClosed());
        RemoteExit result = new RemoteExit(channel.getExitStatus(), channel.getExitSignal(), lost);
        LOG.debug("channel(host={}) closed status={} signal={} connectionLost={}",
            target.name(), result.status(), result.signal(), lost);
        return result;
    }
}
