package dev.ffdispatch.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PidLineFilterTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final PidLineFilter filter = new PidLineFilter(out);

    @Test
    void pidLineSplitAtAnyTwoPointsIsFoundAndRemoved() throws IOException {
        byte[] in = bytes("Welcome to gpu1\nffdispatch-pid 4242\nframe=1 fps=0.0\r");
        byte[] expected = bytes("Welcome to gpu1\nframe=1 fps=0.0\r");
        for (int a = 0; a <= in.length; a++) {
            for (int b = a; b <= in.length; b++) {
                ByteArrayOutputStream sink = new ByteArrayOutputStream();
                PidLineFilter f = new PidLineFilter(sink);
                f.write(in, 0, a);
                f.write(in, a, b - a);
                f.write(in, b, in.length - b);
                assertEquals(4242L, f.pid().getNow(null), "split " + a + "/" + b);
                assertArrayEquals(expected, sink.toByteArray(), "split " + a + "/" + b);
            }
        }
    }

    @Test
    void byteByByteWritesWork() throws IOException {
        for (byte b : bytes("ffdispatch-pid 7\nout")) {
            filter.write(b);
        }
        assertEquals(7L, filter.pid().getNow(null));
        assertEquals("out", out.toString(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ffdispatch-pidx\n", "ffdispatch-pid \n", "ffdispatch-pid 12a\n", "xffdispatch-pid 5\n",
        "ffdispatch-pid -5\n", "ffdispatch-pid 1234567890123456789\n", "ffdispatch-pid 5\r\n"})
    void linesThatAreNotExactlyThePidLinePassThrough(String line) throws IOException {
        filter.write(bytes(line + "ffdispatch-pid 99\ntail"));
        assertEquals(99L, filter.pid().getNow(null));
        assertEquals(line + "tail", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void onlyTheFirstPidLineIsTakenOut() throws IOException {
        filter.write(bytes("ffdispatch-pid 1\nffdispatch-pid 2\n"));
        assertEquals(1L, filter.pid().getNow(null));
        assertEquals("ffdispatch-pid 2\n", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void bytesBeforeAndAfterThePidLineAreNotHeldBack() throws IOException {
        filter.write(bytes("cd: /nope: No such file"));
        assertEquals("cd: /nope: No such file", out.toString(StandardCharsets.UTF_8));
        filter.write(bytes("\nffdispatch-pid 3\nfra"));
        assertEquals("cd: /nope: No such file\nfra", out.toString(StandardCharsets.UTF_8));
        filter.write(new byte[] {(byte) 0xff, 0, '\n'});
        assertEquals("cd: /nope: No such file\nfra".length() + 3, out.size());
    }

    @Test
    void closeReleasesAHeldPartialLineWhenThePidNeverCame() throws IOException {
        filter.write(bytes("x\nffdispatch-pi"));
        assertEquals("x\n", out.toString(StandardCharsets.UTF_8));
        filter.close();
        assertEquals("x\nffdispatch-pi", out.toString(StandardCharsets.UTF_8));
        assertFalse(filter.pid().isDone());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
