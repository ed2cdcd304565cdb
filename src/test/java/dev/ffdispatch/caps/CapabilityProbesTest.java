package dev.ffdispatch.caps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CapabilityProbesTest {

    static List<byte[]> args(String... words) {
        List<byte[]> out = new ArrayList<>();
        for (String w : words) {
            out.add(w.getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    @Test
    void jellyfinsStartUpCallsAreProbes() {
        for (String p : List.of("-version", "-encoders", "-decoders", "-filters", "-hwaccels")) {
            assertEquals(p, CapabilityProbes.key(args(p)));
            assertTrue(CapabilityProbes.learnedUpFront(p));
            assertEquals("-hide_banner " + p, CapabilityProbes.key(args("-hide_banner", p)));
            assertFalse(CapabilityProbes.learnedUpFront("-hide_banner " + p), "learned when first asked");
        }
        assertEquals("-h filter=scale_cuda", CapabilityProbes.key(args("-h", "filter=scale_cuda")));
        assertEquals("-h bsf=h264_mp4toannexb", CapabilityProbes.key(args("-h", "bsf=h264_mp4toannexb")));
        assertEquals(List.of("-h", "bsf=h264_mp4toannexb"), CapabilityProbes.args("-h bsf=h264_mp4toannexb"));
    }

    @Test
    void anythingElseIsAJob() {
        List<List<byte[]>> jobs = List.of(args(), args("-version", "-x"), args("-loglevel", "quiet", "-version"),
            args("-h"), args("-h", "full"), args("-h", "filter=scale cuda"), args("-h", "encoder=libx264"),
            args("-version "), args("-Version"), args("-hide_banner"), args("-hide_banner", "-hide_banner", "-version"),
            args("-version", "-version"), args("-h", "filter="), args("-h", "filter=sc\u00e4le"),
            args("-hide_banner", "-f", "lavfi", "-i", "nullsrc=s=1x1:d=10000", "-f", "null", "-"));
        for (List<byte[]> job : jobs) {
            assertNull(CapabilityProbes.key(job), job.stream().map(String::new).toList().toString());
        }
    }
}
