package dev.ffdispatch.wake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class MagicPacketTest {
    private static final byte[] MAC = HexFormat.of().parseHex("0011223344ff");

    @Test
    void isSixFfBytesThenTheMacSixteenTimes() {
        byte[] packet = MagicPacket.of(MAC);
        assertEquals(102, packet.length);
        assertEquals("ffffffffffff", HexFormat.of().formatHex(packet, 0, 6));
        for (int i = 0; i < 16; i++) {
            assertArrayEquals(MAC, Arrays.copyOfRange(packet, 6 + 6 * i, 12 + 6 * i), "repeat " + i);
        }
        assertThrows(IllegalArgumentException.class, () -> MagicPacket.of(new byte[5]));
    }

    @Test
    void isSentAsOneUdpDatagram() throws Exception {
        try (DatagramSocket listener = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            listener.setSoTimeout(5000);
            MagicPacket.send(MAC, "127.0.0.1", listener.getLocalPort());
            DatagramPacket received = new DatagramPacket(new byte[512], 512);
            listener.receive(received);
            assertArrayEquals(MagicPacket.of(MAC), Arrays.copyOf(received.getData(), received.getLength()));
        }
    }
}
