package dev.ffdispatch.wake;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;

/** The Wake-on-LAN magic packet: six 0xFF bytes, then the target's MAC address sixteen times. */
public final class MagicPacket {
    /** 6 + 16 x 6 bytes. */
    public static final int LENGTH = 102;
    private static final int MAC_BYTES = 6;
    private static final int REPEATS = 16;

    private MagicPacket() {
    }

    /** The packet for {@code mac} (six bytes). */
    public static byte[] of(byte[] mac) {
        if (mac.length != MAC_BYTES) {
            throw new IllegalArgumentException("a MAC address has 6 bytes, not " + mac.length);
        }
        byte[] packet = new byte[LENGTH];
        Arrays.fill(packet, 0, MAC_BYTES, (byte) 0xFF);
        for (int i = 0; i < REPEATS; i++) {
            System.arraycopy(mac, 0, packet, MAC_BYTES + i * MAC_BYTES, MAC_BYTES);
        }
        return packet;
    }

    /**
     * Sends the packet for {@code mac} to {@code host:port} by UDP, broadcast allowed (the usual
     * destination is a broadcast address). One datagram; nothing comes back.
     *
     * @throws IOException when the name does not resolve or the datagram cannot be sent
     */
    public static void send(byte[] mac, String host, int port) throws IOException {
        InetSocketAddress to = new InetSocketAddress(host, port);
        if (to.isUnresolved()) {
            throw new IOException("Wake-on-LAN destination " + host + " does not resolve");
        }
        StandardProtocolFamily family = to.getAddress() instanceof Inet6Address
            ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
        try (DatagramChannel channel = DatagramChannel.open(family)) {
            channel.setOption(StandardSocketOptions.SO_BROADCAST, true);
            channel.send(ByteBuffer.wrap(of(mac)), to);
        }
    }
}
