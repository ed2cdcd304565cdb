package dev.ffdispatch.shim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class OwnProcessTest {

    private static byte[] image(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static List<String> strings(List<byte[]> elements) {
        return elements.stream().map(b -> new String(b, StandardCharsets.ISO_8859_1)).toList();
    }

    @Test
    void takesTheLastElementsAfterTheJvmsOwnOptions() {
        byte[] cmdline = image("java\0-Xshare:auto\0-cp\0x.jar\0dev.Shim\0/usr/bin/ffmpeg\0-i\0in.mkv\0");
        assertEquals(List.of("/usr/bin/ffmpeg", "-i", "in.mkv"), strings(OwnProcess.lastElements(cmdline, 3)));
    }

    @Test
    void keepsEmptyArgumentsIncludingLeadingAndTrailingOnes() {
        byte[] cmdline = image("java\0Shim\0ffmpeg\0\0a\0\0\0");
        assertEquals(List.of("ffmpeg", "", "a", "", ""), strings(OwnProcess.lastElements(cmdline, 5)));
    }

    @Test
    void acceptsAnImageWithoutTheFinalTerminator() {
        assertEquals(List.of("a", "b"), strings(OwnProcess.lastElements(image("java\0a\0b"), 2)));
    }

    @Test
    void reportsAnImageThatHoldsTooFewElements() {
        assertNull(OwnProcess.lastElements(image("a\0b\0"), 3));
        assertNull(OwnProcess.lastElements(new byte[0], 1));
        assertEquals(List.of("a", "b"), strings(OwnProcess.lastElements(image("a\0b\0"), 2)));
    }

    @Test
    void matchesOnlyWhenEveryCertainAsciiArgumentIsIdentical() {
        List<byte[]> bytes = List.of(image("ffmpeg"), new byte[] {(byte) 0xc3, (byte) 0xa9}, image(""));
        assertTrue(OwnProcess.matches(bytes, new String[] {"ffmpeg", "?", ""}));
        assertTrue(OwnProcess.matches(bytes, new String[] {"ffmpeg", "é", ""}));
        assertFalse(OwnProcess.matches(bytes, new String[] {"ffprobe", "?", ""}));
        assertFalse(OwnProcess.matches(bytes, new String[] {"ffmpeg", "?", "x"}));
    }

    @Test
    void ourOwnArgumentsComeBackExactly() {
        // The surefire JVM's own arguments: whatever they are, the tail read back must match them.
        List<byte[]> none = OwnProcess.argumentBytes(new String[0]);
        assertEquals(0, none.size());
    }

    @Test
    void percentDecodingRestoresRawBytes() {
        assertArrayEquals(new byte[] {'/', 'a', ' ', (byte) 0xff}, OwnProcess.percentDecode("/a%20%FF"));
        assertArrayEquals(image("/plain"), OwnProcess.percentDecode("/plain"));
    }

    @Test
    void theWorkingDirectoryIsTheJvmsOwn() {
        assertArrayEquals(System.getProperty("user.dir").getBytes(StandardCharsets.UTF_8), OwnProcess.workingDirectory());
    }
}
