package dev.ffdispatch.shim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.ffdispatch.TestTimeouts;
import dev.ffdispatch.posix.JobExitCodes;
import dev.ffdispatch.posix.LocalPrograms;
import dev.ffdispatch.protocol.Frame;
import dev.ffdispatch.protocol.FrameCodec;
import dev.ffdispatch.protocol.FrameType;
import dev.ffdispatch.protocol.JobRequest;
import dev.ffdispatch.protocol.Tool;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ShimTest {
    @TempDir
    Path dir;

    private FakeDaemon daemon(FakeDaemon.Script script) throws Exception {
        return new FakeDaemon(dir.resolve("d.sock"), script);
    }

    private Map<String, String> env(FakeDaemon daemon) {
        return Map.of("FFDISPATCH_SOCKET", daemon.socket().toString());
    }

    @Test
    void relaysOneMebibyteOfBinaryStdoutExactlyAndKeepsStderrSeparate() throws Exception {
        byte[] out = new byte[1 << 20];
        new Random(7).nextBytes(out);
        byte[] err = "frame=1 fps=0.0\rframe=2\n".getBytes(StandardCharsets.UTF_8);
        try (FakeDaemon daemon = daemon((job, c) -> {
            for (int off = 0; off < out.length; off += FrameCodec.CHUNK) {
                c.send(FrameType.STDOUT, java.util.Arrays.copyOfRange(out, off, Math.min(out.length, off + FrameCodec.CHUNK)));
                if (off == FrameCodec.CHUNK) {
                    c.send(FrameType.STDERR, err);
                }
            }
            c.exit(0);
        })) {
            ShimProcess shim = ShimProcess.start("/usr/bin/ffmpeg", env(daemon), "-f", "chromaprint", "-");
            assertEquals(0, shim.waitFor(), () -> stderrOf(shim));
            assertArrayEquals(out, shim.stdout());
            assertArrayEquals(err, shim.stderr());
            daemon.awaitScript();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 69, 255, 137})
    void passesTheJobsExitCodeThrough(int code) throws Exception {
        try (FakeDaemon daemon = daemon((job, c) -> c.exit(code))) {
            ShimProcess shim = ShimProcess.start("ffmpeg", env(daemon), "-version");
            assertEquals(code, shim.waitFor());
            assertEquals(0, shim.stdout().length);
            assertEquals("", shim.stderrText());
        }
    }

    @Test
    void relaysASingleStdinKeyAtOnceAndThenEndOfFile() throws Exception {
        List<String> seen = new ArrayList<>();
        CompletableFuture<Void> sawQ = new CompletableFuture<>();
        try (FakeDaemon daemon = daemon((job, c) -> {
            for (Frame f = c.next(); f != null; f = c.next()) {
                seen.add(f.type() + ":" + new String(f.payload(), StandardCharsets.UTF_8));
                if (f.type() == FrameType.STDIN) {
                    sawQ.complete(null);
                }
                if (f.type() == FrameType.STDIN_EOF) {
                    c.exit(0);
                    return;
                }
            }
        })) {
            ShimProcess shim = ShimProcess.start("ffmpeg", env(daemon), "-i", "x");
            OutputStream stdin = shim.process().getOutputStream();
            stdin.write('q');
            stdin.flush();
            // The key must arrive while stdin is still open: that is what stops a transcode.
            sawQ.get(TestTimeouts.SHORT.toMillis(), TimeUnit.MILLISECONDS);
            stdin.close();
            assertEquals(0, shim.waitFor(), () -> stderrOf(shim));
            daemon.awaitScript();
            assertEquals(List.of("STDIN:q", "STDIN_EOF:"), seen);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "C"})
    void sendsArgumentAndWorkingDirectoryBytesExactlyWhateverTheLocale(String locale) throws Exception {
        List<byte[]> args = new ArrayList<>();
        for (String s : List.of("", "-i", "file:/media/it's \"a\" $HOME `x`.mkv", "line\nbreak", "é ü 日本", "", "a?b", "")) {
            args.add(s.getBytes(StandardCharsets.UTF_8));
        }
        args.add(new byte[] {'b', (byte) 0xff, (byte) 0xfe, 'c'}); // not UTF-8
        args.add(new byte[] {(byte) 0xe9, '\n'}); // latin-1 é and a trailing newline
        byte[] cwd = concat(dir.toString().getBytes(StandardCharsets.UTF_8), new byte[] {'/', 'd', ' ', (byte) 0xc3, (byte) 0xa9, (byte) 0xff});
        new ProcessBuilder("/bin/sh", "-c", dev.ffdispatch.posix.PosixShell.command("mkdir", List.of(cwd), true))
            .inheritIO().start().waitFor();
        try (FakeDaemon daemon = daemon((job, c) -> c.exit(0))) {
            Map<String, String> env = locale.isEmpty()
                ? Map.of("FFDISPATCH_SOCKET", daemon.socket().toString(), "LANG", "C.UTF-8")
                : Map.of("FFDISPATCH_SOCKET", daemon.socket().toString(), "LC_ALL", locale, "LANG", locale);
            ShimProcess shim = ShimProcess.start("/usr/lib/jellyfin-ffmpeg/ffmpeg".getBytes(StandardCharsets.UTF_8), args, env, cwd);
            assertEquals(0, shim.waitFor(), () -> stderrOf(shim));
            JobRequest job = daemon.job();
            assertEquals(args.size(), job.args().size());
            for (int i = 0; i < args.size(); i++) {
                assertArrayEquals(args.get(i), job.args().get(i), "argument " + i);
            }
            assertArrayEquals(cwd, job.workingDirectory());
            assertEquals(daemon.socket().toString(), job.environment().get("FFDISPATCH_SOCKET"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/usr/lib/jellyfin-ffmpeg/ffprobe", "/opt/ffmpeg/ffprobe", "ffprobe", "/opt/ffprobe-7/ffmpeg", "ffmpeg"})
    void choosesTheToolByBasenameOnly(String argv0) throws Exception {
        try (FakeDaemon daemon = daemon((job, c) -> c.exit(0))) {
            ShimProcess shim = ShimProcess.start(argv0, env(daemon), "-version");
            assertEquals(0, shim.waitFor(), () -> stderrOf(shim));
            Tool expected = argv0.endsWith("/ffprobe") || argv0.equals("ffprobe") ? Tool.FFPROBE : Tool.FFMPEG;
            assertEquals(expected, daemon.job().tool());
        }
    }

    @Test
    void aConnectionLostWithoutExitIsExit76WithOneStderrLine() throws Exception {
        try (FakeDaemon daemon = daemon((job, c) -> c.send(FrameType.STDERR, "partial\n".getBytes(StandardCharsets.UTF_8)))) {
            ShimProcess shim = ShimProcess.start("ffmpeg", env(daemon), "-i", "x");
            assertEquals(JobExitCodes.PROTOCOL, shim.waitFor());
            String stderr = shim.stderrText();
            assertTrue(stderr.startsWith("partial\nffdispatch: lost the daemon connection mid-job ("), stderr);
            assertEquals(2, stderr.split("\n").length, stderr);
            assertEquals(0, shim.stdout().length);
        }
    }

    @Test
    void sigkillOfTheShimClosesTheConnectionWithinOneSecond() throws Exception {
        CompletableFuture<Long> eofAt = new CompletableFuture<>();
        CompletableFuture<Void> running = new CompletableFuture<>();
        try (FakeDaemon daemon = daemon((job, c) -> {
            running.complete(null);
            while (c.next() != null) {
                // the shim sends nothing until it dies; drain anything it does send
            }
            eofAt.complete(System.nanoTime());
        })) {
            ShimProcess shim = ShimProcess.start("ffmpeg", env(daemon), "-i", "x");
            running.get(TestTimeouts.SHORT.toMillis(), TimeUnit.MILLISECONDS);
            long killedAt = System.nanoTime();
            shim.process().destroyForcibly();
            long eof = eofAt.get(TestTimeouts.SHORT.toMillis(), TimeUnit.MILLISECONDS);
            assertTrue(eof - killedAt < TimeUnit.SECONDS.toNanos(1), "EOF after " + (eof - killedAt) / 1_000_000 + " ms");
            assertEquals(137, shim.waitFor());
        }
    }

    @Test
    void runsTheRealLocalFfmpegWhenTheDaemonIsUnreachable() throws Exception {
        assumeFalse(Files.exists(LocalPrograms.JELLYFIN_FFMPEG_DIR.resolve("ffmpeg")), "a jellyfin-ffmpeg would be chosen first");
        Process direct = new ProcessBuilder("/usr/bin/ffmpeg", "-version").redirectErrorStream(false).start();
        byte[] expected = direct.getInputStream().readAllBytes();
        assertEquals(0, direct.waitFor());
        Path socket = dir.resolve("missing.sock");
        ShimProcess shim = ShimProcess.start("ffmpeg", Map.of("FFDISPATCH_SOCKET", socket.toString()), "-version");
        assertEquals(0, shim.waitFor(), () -> stderrOf(shim));
        assertArrayEquals(expected, shim.stdout());
        String stderr = shim.stderrText();
        assertTrue(stderr.startsWith("ffdispatch: daemon not reachable at " + socket + " ("), stderr);
        assertTrue(stderr.endsWith("; running /usr/bin/ffmpeg locally. Fix: systemctl start ffdispatch\n"), stderr);
        assertEquals(1, stderr.split("\n").length, stderr);
    }

    @Test
    void theLocalRunGetsTheExactArgumentBytesUnderLangC() throws Exception {
        Path dump = dir.resolve("args.bin");
        Path fake = dir.resolve("fake-ffprobe");
        Files.writeString(fake, "#!/bin/sh\nprintf '%s\\0' \"$@\" > '" + dump + "'\nexit 3\n");
        fake.toFile().setExecutable(true);
        List<byte[]> args = List.of(new byte[0], new byte[] {'a', (byte) 0xff, '\n'}, "it's $x".getBytes(StandardCharsets.UTF_8));
        ShimProcess shim = ShimProcess.start("ffprobe".getBytes(StandardCharsets.UTF_8), args,
            Map.of("FFDISPATCH_SOCKET", dir.resolve("missing.sock").toString(), "LC_ALL", "C",
                "FFDISPATCH_LOCAL_FFPROBE", fake.toString()), null);
        assertEquals(3, shim.waitFor(), () -> stderrOf(shim));
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (byte[] arg : args) {
            expected.write(arg);
            expected.write(0);
        }
        assertArrayEquals(expected.toByteArray(), Files.readAllBytes(dump));
    }

    @Test
    void neverRunsItselfWhenTheOnlyFfmpegOnPathIsTheShim() throws Exception {
        assumeFalse(Files.exists(LocalPrograms.JELLYFIN_FFMPEG_DIR.resolve("ffmpeg")), "a jellyfin-ffmpeg would be chosen first");
        Path bin = Files.createDirectory(dir.resolve("bin"));
        Path launcher = bin.resolve("ffdispatch-shim");
        Files.writeString(launcher, "#!/bin/sh\necho recursed\nexit 99\n");
        launcher.toFile().setExecutable(true);
        Files.createSymbolicLink(bin.resolve("ffmpeg"), launcher.getFileName());
        ShimProcess shim = ShimProcess.start(bin.resolve("ffmpeg").toString(), Map.of(
            "FFDISPATCH_SOCKET", dir.resolve("missing.sock").toString(),
            "PATH", bin + ":" + bin,
            "FFDISPATCH_SHIM_DIR", bin.toString()), "-version");
        assertEquals(JobExitCodes.NOT_FOUND, shim.waitFor());
        assertEquals(0, shim.stdout().length);
        String stderr = shim.stderrText();
        assertTrue(stderr.contains("set FFDISPATCH_LOCAL_FFMPEG to the real ffmpeg"), stderr);
        assertEquals(1, stderr.split("\n").length, stderr);
    }

    @Test
    void refusesToStartAnotherLocalRunFromInsideALocalRun() throws Exception {
        ShimProcess shim = ShimProcess.start("ffmpeg", Map.of(
            "FFDISPATCH_SOCKET", dir.resolve("missing.sock").toString(),
            LocalTool.LOCAL_RUN_ENV, "/usr/local/bin/ffmpeg"), "-version");
        assertEquals(JobExitCodes.NOT_FOUND, shim.waitFor());
        assertTrue(shim.stderrText().contains("started by its own local run of /usr/local/bin/ffmpeg"));
    }

    @Test
    void socketPathComesFromSocketThenHomeThenTheDefault() {
        assertEquals("/s.sock", Shim.socketPath(Map.of("FFDISPATCH_SOCKET", "/s.sock", "FFDISPATCH_HOME", "/h")));
        assertEquals("/h/ffdispatch.sock", Shim.socketPath(Map.of("FFDISPATCH_HOME", "/h")));
        assertEquals(Shim.DEFAULT_SOCKET, Shim.socketPath(Map.of()));
    }

    private static String stderrOf(ShimProcess shim) {
        try {
            return "stderr: " + shim.stderrText();
        } catch (Exception e) {
            return "stderr unavailable: " + e;
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
