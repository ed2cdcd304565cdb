package dev.ffdispatch.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ffdispatch.TestTimeouts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every script runs in the real /bin/sh: only a shell agreeing proves the quoting. */
class RemoteCommandTest {
    private static final int VECTORS = 1000;
    /** Prints each argument, then the two test variables, NUL-terminated. */
    private static final String ECHO = "printf '%s\\0' \"$@\" \"$FFD_T0\" \"$FFD_T1\"";
    private static final String[] NASTY = {
        "", " ", "'", "\"", "$HOME", "`id`", "$(id)", "a\nb", "trail\n\n", "\\", "*", "-x", "--", "-", "-i",
        "file:/media/It's \"here\" (2024).mkv", "concat:\"a|b\"", "subtitles=f='x.srt':fontsdir='/f'",
        "caf\u00e9 \u65e5\u672c \ud83c\udfac", "\t", "!", "#c", "~", ";&|<>", "%08d.jpg", "%s\\0", "x'\\''y", "${x:-y}"};

    @TempDir
    Path scratch;

    @Test
    void randomArgumentVectorsArriveByteIdenticalWithThePidOnStderr() throws Exception {
        Random random = new Random(20240611);
        for (int round = 0; round < VECTORS; round++) {
            List<byte[]> args = new ArrayList<>();
            for (int i = random.nextInt(7); i >= 0; i--) {
                args.add(randomArg(random));
            }
            Map<String, String> env = Map.of("FFD_T0", randomText(random), "FFD_T1", randomText(random));
            assertRunsExactly(args, env, round % 2 == 0, "round " + round);
        }
    }

    @Test
    void nastyWordsAndBytesArriveExactlyInBothModes() throws Exception {
        List<byte[]> args = new ArrayList<>();
        for (String s : NASTY) {
            args.add(s.getBytes(StandardCharsets.UTF_8));
        }
        args.add(new byte[] {(byte) 0xff, '\'', (byte) 0xc3});
        args.add(new byte[] {(byte) 0x80, '\n'});
        Map<String, String> env = Map.of("FFD_T0", "it's $x `y` \u00e9\n", "FFD_T1", "");
        assertRunsExactly(args, env, false, "utf-8 script");
        assertRunsExactly(args, env, true, "ascii script");
    }

    @Test
    void changesIntoTheWorkingDirectoryEvenWhenItsNameIsNotUtf8() throws Exception {
        byte[] name = {'d', ' ', '\'', (byte) 0xff, '$', 'x'};
        byte[] dir = concat(scratch.toString().getBytes(StandardCharsets.UTF_8), new byte[] {'/'}, name);
        Process mkdir = new ProcessBuilder("/bin/sh", "-c", "mkdir -- \"$(printf 'd \\047\\377$x')\"")
            .directory(scratch.toFile()).start();
        assertEquals(0, mkdir.waitFor());
        for (boolean ascii : new boolean[] {false, true}) {
            JobSpec spec = new JobSpec("/bin/sh", List.of(bytes("-c"), bytes("printf %s \"$PWD\"")), dir, Map.of());
            Result r = run(RemoteCommand.build(spec, ascii));
            assertArrayEquals(dir, r.stdout, "ascii=" + ascii + " stderr: " + r.stderrText());
            assertEquals(0, r.exit);
        }
    }

    @Test
    void missingWorkingDirectoryEndsBeforeThePidLine() throws Exception {
        JobSpec spec = new JobSpec("/bin/echo", List.of(bytes("ran")), bytes(scratch + "/missing"), Map.of());
        Result r = run(RemoteCommand.build(spec, false));
        assertEquals(RemoteCommand.CD_FAILED, r.exit);
        assertFalse(r.pid != null, "no PID line expected: " + r.stderrText());
        assertTrue(r.stderrText().contains("missing"), r.stderrText());
        assertEquals(0, r.stdout.length);
    }

    @Test
    void aWorkingDirectoryWhoseNameImitatesThePidLineCannotReportAPid() throws Exception {
        for (boolean ascii : new boolean[] {false, true}) {
            JobSpec spec = new JobSpec("/bin/echo", List.of(bytes("ran")),
                bytes(scratch + "/nonexistent\nffdispatch-pid 1\n"), Map.of());
            Result r = run(RemoteCommand.build(spec, ascii));
            assertEquals(RemoteCommand.CD_FAILED, r.exit, r.stderrText());
            assertEquals(null, r.pid, "ascii=" + ascii + ": the cd error text was taken for the PID line: " + r.stderrText());
            assertTrue(r.stderrText().contains("nonexistent"), "the cd error still reaches the user: " + r.stderrText());
        }
    }

    @Test
    void noWorkingDirectoryMeansNoCd() {
        String script = RemoteCommand.build(new JobSpec("ffmpeg", List.of(), new byte[0], Map.of()), false);
        assertFalse(script.contains("cd "), script);
        assertFalse(script.contains("export"), script);
        assertTrue(script.startsWith("printf 'ffdispatch-pid %s\\n' $$ >&2; exec 'ffmpeg'"), script);
    }

    @Test
    void rejectsEnvironmentNamesAShellCannotSet() {
        for (String bad : new String[] {"1A", "A-B", "A B", "", "A=B", "\u00e9"}) {
            JobSpec spec = new JobSpec("ffmpeg", List.of(), new byte[0], Map.of(bad, "v"));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RemoteCommand.build(spec, false));
            assertTrue(e.getMessage().contains("(" + bad + ")"), e.getMessage());
        }
        JobSpec nul = new JobSpec("ffmpeg", List.of(), new byte[0], Map.of("A", "x\0y"));
        assertThrows(IllegalArgumentException.class, () -> RemoteCommand.build(nul, false));
    }

    private void assertRunsExactly(List<byte[]> args, Map<String, String> env, boolean ascii, String what) throws Exception {
        List<byte[]> all = new ArrayList<>(List.of(bytes("-c"), bytes(ECHO), bytes("sh")));
        all.addAll(args);
        String script = RemoteCommand.build(new JobSpec("/bin/sh", all, new byte[0], env), ascii);
        Result r = run(script);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (byte[] a : args) {
            expected.writeBytes(a);
            expected.write(0);
        }
        expected.writeBytes(bytes(env.get("FFD_T0")));
        expected.write(0);
        expected.writeBytes(bytes(env.get("FFD_T1")));
        expected.write(0);
        assertEquals(0, r.exit, () -> what + " stderr: " + r.stderrText() + " script: " + script);
        assertArrayEquals(expected.toByteArray(), r.stdout, () -> what + " script: " + script);
        assertEquals(r.processPid, r.pid, what);
        assertEquals(0, r.stderr.length, () -> what + " stderr: " + r.stderrText());
    }

    private record Result(int exit, byte[] stdout, byte[] stderr, Long pid, long processPid) {
        String stderrText() {
            return new String(stderr, StandardCharsets.UTF_8);
        }
    }

    /** Output is small, far below a pipe's buffer: reading one stream after the other cannot block. */
    private Result run(String script) throws IOException, InterruptedException {
        Process p = Sh.start(script, scratch);
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PidLineFilter filter = new PidLineFilter(err);
        p.getErrorStream().transferTo(filter);
        filter.close();
        assertTrue(p.waitFor(TestTimeouts.SHORT.toMillis(), TimeUnit.MILLISECONDS), "shell did not end");
        return new Result(p.exitValue(), out, err.toByteArray(), filter.pid().getNow(null), p.pid());
    }

    private static byte[] randomArg(Random random) {
        switch (random.nextInt(4)) {
            case 0:
                return bytes(NASTY[random.nextInt(NASTY.length)]);
            case 1:
                return bytes(randomText(random));
            case 2:
                byte[] raw = new byte[random.nextInt(16)];
                for (int i = 0; i < raw.length; i++) {
                    raw[i] = (byte) (1 + random.nextInt(255)); // argv cannot hold NUL
                }
                return raw;
            default:
                return bytes((random.nextBoolean() ? "-" : "--") + randomText(random));
        }
    }

    /** Printable ASCII, shell metacharacters, newlines and non-ASCII code points (also astral). */
    private static String randomText(Random random) {
        StringBuilder s = new StringBuilder();
        for (int i = random.nextInt(12); i > 0; i--) {
            int kind = random.nextInt(10);
            if (kind < 6) {
                s.append((char) (32 + random.nextInt(95)));
            } else if (kind < 7) {
                s.append("'\"$`\\\n".charAt(random.nextInt(6)));
            } else if (kind < 9) {
                s.appendCodePoint(0xa0 + random.nextInt(0xd700 - 0xa0));
            } else {
                s.appendCodePoint(0x1f300 + random.nextInt(0x200));
            }
        }
        return s.toString();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
