package dev.ffdispatch.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobRequestTest {

    @Test
    void roundTripsArbitraryBytesThroughAFrameStream() throws Exception {
        byte[] invalidUtf8 = {(byte) 0xff, (byte) 0xfe, 'x'};
        JobRequest request = new JobRequest(Tool.FFPROBE,
            List.of("-i".getBytes(StandardCharsets.UTF_8), new byte[0], invalidUtf8),
            "/tmp/d'ir".getBytes(StandardCharsets.UTF_8), Map.of("TZ", "Europe/Paris"));

        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        FrameCodec.write(wire, request.toFrame());
        FrameCodec.write(wire, Frame.exit(-3));
        ByteArrayInputStream in = new ByteArrayInputStream(wire.toByteArray());
        JobRequest back = JobRequest.fromFrame(FrameCodec.read(in));

        assertEquals(Tool.FFPROBE, back.tool());
        assertEquals(3, back.args().size());
        assertArrayEquals(new byte[0], back.args().get(1));
        assertArrayEquals(invalidUtf8, back.args().get(2));
        assertArrayEquals(request.workingDirectory(), back.workingDirectory());
        assertEquals(Map.of("TZ", "Europe/Paris"), back.environment());
        assertEquals(-3, FrameCodec.read(in).exitCode());
        assertNull(FrameCodec.read(in));
    }

    @Test
    void rejectsAnotherVersionWithAnExplanation() {
        byte[] payload = new JobRequest(Tool.FFMPEG, List.of(), new byte[0], Map.of()).toFrame().payload();
        payload[1] = 9;
        ProtocolException e = assertThrows(ProtocolException.class,
            () -> JobRequest.fromFrame(new Frame(FrameType.JOB, payload)));
        assertTrue(e.getMessage().contains("version 9"), e.getMessage());
    }

    @Test
    void rejectsTruncatedFramesAndUnknownTypes() {
        byte[] truncated = {0x11, 0, 0, 0, 5, 1, 2};
        assertThrows(ProtocolException.class, () -> FrameCodec.read(new ByteArrayInputStream(truncated)));
        byte[] unknown = {0x7f, 0, 0, 0, 0};
        assertThrows(ProtocolException.class, () -> FrameCodec.read(new ByteArrayInputStream(unknown)));
    }

    @Test
    void choosesTheToolByBaseNameOnly() {
        assertEquals(Tool.FFPROBE, Tool.fromArgv0("/usr/lib/ffdispatch/bin/ffprobe"));
        assertEquals(Tool.FFMPEG, Tool.fromArgv0("/opt/ffprobe-tools/bin/ffmpeg"));
        assertEquals(Tool.FFMPEG, Tool.fromArgv0("ffmpeg"));
    }

    @Test
    void aRequestNoRealProcessCouldSendIsRefusedWhenDecoded() {
        byte[] nul = {'a', 0, 'b'};
        List<JobRequest> crafted = List.of(
            new JobRequest(Tool.FFMPEG, List.of(nul), new byte[0], Map.of()),
            new JobRequest(Tool.FFMPEG, List.of(), "/tmp\0x".getBytes(StandardCharsets.UTF_8), Map.of()),
            new JobRequest(Tool.FFMPEG, List.of(), "relative".getBytes(StandardCharsets.UTF_8), Map.of()),
            new JobRequest(Tool.FFMPEG, List.of(), new byte[0], Map.of("TZ", "UTC\0")),
            new JobRequest(Tool.FFMPEG, List.of(), new byte[0], Map.of("A=B", "x")),
            new JobRequest(Tool.FFMPEG, List.of(), new byte[0], Map.of("", "x")));
        for (JobRequest r : crafted) {
            ProtocolException e = assertThrows(ProtocolException.class, () -> JobRequest.fromFrame(r.toFrame()), r.toString());
            assertTrue(e.getMessage().contains("NUL") || e.getMessage().contains("absolute")
                || e.getMessage().contains("'='"), e.getMessage());
        }
        byte[] payload = new JobRequest(Tool.FFMPEG, List.of(), new byte[0], Map.of()).toFrame().payload();
        payload[3] = 0x10; // argument count 0x10000000 with 8 bytes behind it
        ProtocolException e = assertThrows(ProtocolException.class, () -> JobRequest.fromFrame(new Frame(FrameType.JOB, payload)));
        assertTrue(e.getMessage().contains("bad element count"), e.getMessage());
    }
}
