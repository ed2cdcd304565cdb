package dev.ffdispatch.caps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The learn script run by the real /bin/sh on the real ffmpeg, against direct runs of the same probes. */
class LearnScriptTest {
    static final String TOKEN = "T0ken0123456789abcdef";

    private static ProbeAnswer runScript(String prefix, String program, boolean devices) throws Exception {
        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", prefix + "exec /bin/sh -c \"$0\" ffdispatch \"$@\"",
            LearnScript.SCRIPT));
        command.addAll(LearnScript.args(TOKEN, program, devices));
        return CapabilitiesTest.run(command.toArray(String[]::new));
    }

    @Test
    void everyProbeIsByteIdenticalToADirectRunAndLoginNoiseIsLeftOut() throws Exception {
        ProbeAnswer run = runScript("echo motd; printf 'no newline' >&2; ", CapabilitiesTest.FFMPEG, true);
        assertEquals(0, run.exitCode(), new String(run.stderr(), StandardCharsets.UTF_8));
        LearnScript.Learned learned = LearnScript.parse(TOKEN, run.stdout(), run.stderr(), true);
        for (String probe : CapabilityProbes.LEARNED) {
            assertEquals(CapabilitiesTest.run(CapabilitiesTest.FFMPEG, probe), learned.answers().get(probe), probe);
        }
        Set<String> expected = new LinkedHashSet<>();
        for (String device : Capabilities.hwaccels(learned.answers().get("-hwaccels"))) {
            ProbeAnswer test = CapabilitiesTest.run(CapabilitiesTest.FFMPEG, "-hide_banner", "-v", "quiet", "-init_hw_device", device,
                "-f", "lavfi", "-i", "nullsrc=s=16x16:d=0.04", "-frames:v", "1", "-f", "null", "-");
            if (test.exitCode() == 0) {
                expected.add(device);
            }
        }
        assertEquals(expected, learned.workingHwaccels(), "the same devices work as when tested by hand");
    }

    @Test
    void aProgramThatIsNoFfmpegIsLearnedAsItAnswers() throws Exception {
        ProbeAnswer run = runScript("", "/bin/false", false);
        LearnScript.Learned learned = LearnScript.parse(TOKEN, run.stdout(), run.stderr(), false);
        assertEquals(new ProbeAnswer(new byte[0], new byte[0], 1), learned.answers().get("-version"));
        assertNull(learned.workingHwaccels());
        assertNull(Capabilities.read(learned.answers(), null));
    }

    @Test
    void aCutRunIsRefused() throws Exception {
        ProbeAnswer run = runScript("", CapabilitiesTest.FFMPEG, false);
        byte[] cut = java.util.Arrays.copyOf(run.stdout(), run.stdout().length / 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> LearnScript.parse(TOKEN, cut, run.stderr(), false));
        assertTrue(e.getMessage().contains("no complete section"), e.getMessage());
        byte[] noEnd = new String(run.stdout(), StandardCharsets.ISO_8859_1).replace(TOKEN + " done\n", "")
            .getBytes(StandardCharsets.ISO_8859_1);
        assertThrows(IllegalArgumentException.class, () -> LearnScript.parse(TOKEN, noEnd, run.stderr(), false));
        assertThrows(IllegalArgumentException.class, () -> LearnScript.args("short", "/x", false));
    }
}
