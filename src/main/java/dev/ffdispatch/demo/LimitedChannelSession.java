package dev.ffdispatch.demo;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

import org.apache.sshd.client.future.DefaultOpenFuture;
import org.apache.sshd.client.future.OpenFuture;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.channel.Channel;
import org.apache.sshd.common.channel.ChannelFactory;
import org.apache.sshd.common.channel.exception.SshChannelOpenException;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.server.channel.ChannelSession;

/**
 * A session channel that refuses to open, like OpenSSH at MaxSessions, when its session already
 * carries the limit. MINA's own MAX_CONCURRENT_CHANNELS kills the whole session instead.
 */
final class LimitedChannelSession extends ChannelSession {
    private static final AttributeKey<AtomicInteger> OPEN = new AttributeKey<>();

    private final IntSupplier limit;

    private LimitedChannelSession(IntSupplier limit) {
        this.limit = limit;
    }

    /** Creates "session" channels limited to {@code limit.getAsInt()} per session (0: no limit). */
    static ChannelFactory factory(IntSupplier limit) {
        return new ChannelFactory() {
            @Override
            public String getName() {
                return "session";
            }

            @Override
            public Channel createChannel(Session session) {
                return new LimitedChannelSession(limit);
            }
        };
    }

    @Override
    public OpenFuture open(long recipient, long rwSize, long packetSize, Buffer buffer) {
        AtomicInteger open = getSession().computeAttributeIfAbsent(OPEN, k -> new AtomicInteger());
        int max = limit.getAsInt();
        if (max > 0 && open.incrementAndGet() > max) {
            open.decrementAndGet();
            DefaultOpenFuture refused = new DefaultOpenFuture(this, new Object());
            refused.setException(new SshChannelOpenException(recipient,
                SshConstants.SSH_OPEN_ADMINISTRATIVELY_PROHIBITED, "open failed: at most " + max + " sessions"));
            return refused;
        }
        if (max <= 0) {
            open.incrementAndGet();
        }
        addCloseFutureListener(f -> open.decrementAndGet());
        return super.open(recipient, rwSize, packetSize, buffer);
    }
}
