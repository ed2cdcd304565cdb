package dev.ffdispatch.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FrameCodecTest {

    @Test
    void aHeaderAnnouncingMoreThanArrivesDoesNotAllocateTheAnnouncedSize() {
        // 16 MiB announced, 10 bytes sent, then the peer goes away.
        byte[] wire = {(byte) FrameType.JOB.code, 0x01, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(tid);
        assertThrows(ProtocolException.class, () -> FrameCodec.read(new ByteArrayInputStream(wire)));
        long allocated = threads.getThreadAllocatedBytes(tid) - before;
        assertTrue(allocated < 2 * 1024 * 1024, "allocated " + allocated + " bytes for 10 received");
    }

    @Test
    void largeFramesStillArriveWhole() throws Exception {
        byte[] payload = new byte[3 * 1024 * 1024 + 17];
        new Random(7).nextBytes(payload);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        FrameCodec.write(wire, new Frame(FrameType.STATUS_REPLY, payload));
        assertArrayEquals(payload, FrameCodec.read(new ByteArrayInputStream(wire.toByteArray())).payload());
    }
}
