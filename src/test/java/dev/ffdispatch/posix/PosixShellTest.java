package dev.ffdispatch.posix;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Runs the real /bin/sh: the only proof that quoting round-trips is a shell agreeing. */
class PosixShellTest {
    @Test
    void namesAreWhatShCanExport() {
        for (String good : new String[] {"A", "_", "LANG", "ffd_a0", "_9x", "Path"}) {
            assertTrue(PosixShell.isName(good), good);
        }
        for (String bad : new String[] {"", "9A", "A-B", "A=B", "A B", "\u00e9", "A.B", "A\0"}) {
            assertFalse(PosixShell.isName(bad), bad);
        }
    }

    private static final String[] NASTY = {
        "", " ", "'", "\"", "$HOME", "`id`", "$(id)", "a\nb", "trail\n\n", "\\", "*", "-x", "--",
        "file:/media/It's \"here\" (2024).mkv", "concat:\"a|b\"", "subtitles=f='x.srt':fontsdir='/f'",
        "caf\u00e9 \u65e5\u672c", "\t", "!", "#c", "~", ";&|<>", "%08d.jpg"};

    @Test
    void nastyWordsRoundTripInBothModes() throws Exception {
        List<byte[]> words = new ArrayList<>();
        for (String s : NASTY) {
            words.add(s.getBytes(StandardCharsets.UTF_8));
        }
        words.add(new byte[] {(byte) 0xff, 'a', (byte) 0xc3});
        words.add(new byte[] {(byte) 0x80, '\n'});
        assertRoundTrip(words, false);
        assertRoundTrip(words, true);
    }

    @Test
    void randomByteVectorsRoundTrip() throws Exception {
        Random random = new Random(42);
        for (int round = 0; round < 25; round++) {
            List<byte[]> words = new ArrayList<>();
            for (int i = random.nextInt(8); i >= 0; i--) {
                byte[] word = new byte[random.nextInt(12)];
                for (int j = 0; j < word.length; j++) {
                    word[j] = (byte) (1 + random.nextInt(255)); // argv cannot hold NUL
                }
                words.add(word);
            }
            assertRoundTrip(words, round % 2 == 0);
        }
    }

    @Test
    void asciiOnlyModeProducesPureAscii() {
        String line = PosixShell.command("exec", List.of("\u00e9t\u00e9".getBytes(StandardCharsets.UTF_8)), true);
        assertTrue(line.chars().allMatch(c -> c < 128), line);
    }

    /** printf '%s\0' "$@" after our words: the shell hands back each word, NUL-separated. */
    private static void assertRoundTrip(List<byte[]> words, boolean asciiOnly) throws Exception {
        String script = PosixShell.command("set --", words, asciiOnly) + "; printf '%s\\0' \"$@\"";
        Process p = new ProcessBuilder("/bin/sh", "-c", script).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        p.waitFor(10, TimeUnit.SECONDS);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (byte[] w : words) {
            expected.write(w);
            expected.write(0);
        }
        assertEquals(0, p.exitValue(), new String(out, StandardCharsets.UTF_8));
        assertArrayEquals(expected.toByteArray(), out, () -> "script: " + script);
    }
}
