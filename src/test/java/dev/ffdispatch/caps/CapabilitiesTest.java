package dev.ffdispatch.caps;

import static dev.ffdispatch.caps.CapabilityProbesTest.args;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Reads the real ffmpeg's answers (Debian's: libx264, VAAPI and CUDA compiled in). */
class CapabilitiesTest {
    static final String FFMPEG = "/usr/bin/ffmpeg";
    private static Map<String, ProbeAnswer> answers;

    @BeforeAll
    static void ask() throws Exception {
        answers = new LinkedHashMap<>();
        for (String probe : CapabilityProbes.LEARNED) {
            answers.put(probe, run(FFMPEG, probe));
        }
    }

    static ProbeAnswer run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        byte[][] err = new byte[1][];
        Thread t = new Thread(() -> {
            try {
                err[0] = p.getErrorStream().readAllBytes();
            } catch (IOException e) {
                err[0] = new byte[0];
            }
        });
        t.start();
        byte[] out = p.getInputStream().readAllBytes();
        t.join();
        return new ProbeAnswer(out, err[0], p.waitFor());
    }

    @Test
    void readsTheRealListings() {
        Capabilities caps = Capabilities.read(answers, null);
        assertNotNull(caps);
        assertTrue(caps.version().matches("[0-9].*"), caps.version());
        assertEquals(List.of(), caps.missing(Needs.of(args("-i", "x", "-vf", "scale=2:2,yadif", "-c:v", "libx264",
            "-c:a", "aac", "-c:s", "webvtt", "o"))));
        assertEquals(List.of(), caps.missing(Needs.of(args("-c:v", "h264", "-i", "x", "-c:v", "h264", "o"))),
            "a codec name is served by any coder of that codec");
        assertEquals(List.of("encoder nosuch", "filter nosuch_filter"),
            caps.missing(Needs.of(args("-i", "x", "-vf", "nosuch_filter", "-c:v", "nosuch", "o"))));
        assertTrue(caps.hwaccels().contains("vaapi"), "listed, and untested devices count");
    }

    @Test
    void aDeviceThatFailedItsTestDoesNotCountNorDoesWhatRunsOnIt() {
        Capabilities none = Capabilities.read(answers, Set.of());
        Needs vaapi = Needs.of(args("-init_hw_device", "vaapi=va:/dev/dri/renderD128", "-i", "x", "-vf", "scale_vaapi",
            "-c:v", "h264_vaapi", "o"));
        assertEquals(List.of("encoder h264_vaapi", "hwaccel vaapi", "filter scale_vaapi"), none.missing(vaapi));
        assertTrue(none.hwaccels().isEmpty());
        assertTrue(none.brokenHwaccels().contains("vaapi"));
        assertFalse(none.hardwareEncoders().contains("h264_vaapi"));
        Capabilities working = Capabilities.read(answers, Set.of("vaapi"));
        assertEquals(List.of(), working.missing(vaapi));
        assertTrue(working.hardwareEncoders().contains("h264_vaapi"));
        assertEquals(List.of("vaapi"), working.hwaccels());
    }

    /** A worker whose ffmpeg lacks libx264 still encodes h264 when a working device offers an h264 encoder. */
    @Test
    void anEncoderListedWithoutLibx264() {
        Map<String, ProbeAnswer> without = new LinkedHashMap<>(answers);
        ProbeAnswer enc = answers.get("-encoders");
        String filtered = new String(enc.stdout(), StandardCharsets.UTF_8).lines().filter(l -> !l.contains("libx264"))
            .reduce("", (a, l) -> a + l + "\n");
        without.put("-encoders", new ProbeAnswer(filtered.getBytes(StandardCharsets.UTF_8), enc.stderr(), 0));
        Capabilities caps = Capabilities.read(without, Set.of());
        assertEquals(List.of("encoder libx264"), caps.missing(Needs.of(args("-i", "x", "-c:v", "libx264", "o"))));
        Capabilities vaapi = Capabilities.read(without, Set.of("vaapi"));
        assertEquals(List.of(), vaapi.missing(Needs.of(args("-i", "x", "-c:v", "h264", "o"))));
    }

    @Test
    void whatIsNotAnFfmpegListingIsUnknown() {
        Map<String, ProbeAnswer> broken = new LinkedHashMap<>(answers);
        broken.put("-filters", new ProbeAnswer("sh: 0: Illegal option -f\n".getBytes(StandardCharsets.UTF_8), new byte[0], 2));
        assertNull(Capabilities.read(broken, null));
        broken.put("-filters", new ProbeAnswer("Filters:\n".getBytes(StandardCharsets.UTF_8), new byte[0], 0));
        assertNotNull(Capabilities.read(broken, null));
        broken.remove("-hwaccels");
        assertNull(Capabilities.read(broken, null));
    }
}
