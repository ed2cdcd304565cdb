package dev.ffdispatch.shim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.ffdispatch.TestTimeouts;
import dev.ffdispatch.posix.JobExitCodes;
import dev.ffdispatch.posix.LocalPrograms;
import dev.ffdispatch.posix.PosixShell;
import dev.ffdispatch.protocol.Frame;
import dev.ffdispatch.protocol.FrameCodec;
import dev.ffdispatch.protocol.FrameType;
import dev.ffdispatch.protocol.JobRequest;
import dev.ffdispatch.protocol.Tool;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shim contract against a scripted daemon, for every {@link ShimClient}: the Java shim (the
 * reference), the native client, and the native client under ASan and UBSan. Each runs as its
 * own process with real pipes.
 */
class ShimTest {
    @TempDir
    Path dir;

    private FakeDaemon daemon(FakeDaemon.Script script) throws Exception {
        return new FakeDaemon(dir.resolve("d.sock"), script);
    }

    private Map<String, String> env(FakeDaemon daemon) {
        return Map.of("FFDISPATCH_SOCKET", daemon.socket().toString());
    }

    /** Every client with every one of {@code values}. */
    private static Stream<Arguments> everyClientWith(Object... values) {
        return Arrays.stream(ShimClient.values()).flatMap(c -> Arrays.stream(values).map(v -> Arguments.of(c, v)));
    }

    static Stream<Arguments> exitCodes() {
        return everyClientWith(0, 1, 69, 255, 137);
    }

    static Stream<Arguments> locales() {
        return everyClientWith("", "C");
    }

    static Stream<Arguments> calledNames() {
        return everyClientWith("/usr/lib/jellyfin-ffmpeg/ffprobe", "/opt/ffmpeg/ffprobe", "ffprobe", "ffprobe.exe",
            "/opt/ffprobe-7/ffmpeg", "ffmpeg", "");
    }

    @EveryClient
    void relaysOneMebibyteOfBinaryStdoutExactlyAndKeepsStderrSeparate(ShimClient client) throws Exception {
        byte[] out = new byte[1 << 20];
        new Random(7).nextBytes(out);
        byte[] err = "frame=1 fps=0.0\rframe=2\n".getBytes(StandardCharsets.UTF_8);
        try (FakeDaemon daemon = daemon((job, c) -> {
            for (int off = 0; off < out.length; off += FrameCodec.CHUNK) {
                c.send(FrameType.STDOUT, Arrays.copyOfRange(out, off, Math.min(out.length, off + FrameCodec.CHUNK)));
                if (off == FrameCodec.CHUNK) {
                    c.send(FrameType.STDERR, err);
                }
            }
            c.exit(0);
        })) {
            ShimProcess shim = ShimProcess.start(client, "/usr/bin/ffmpeg", env(daemon), "-f", "chromaprint", "-");
            assertEquals(0, shim.waitFor(), () -> stderrOf(shim));
            assertArrayEquals(out, shim.stdout());
            assertArrayEquals(err, shim.stderr());
            daemon.awaitScript();
        }
    }

    /** Frames may arrive split anywhere and joined in any way: one write of many small frames, then a slow trickle. */
    @EveryClient
    void framesSplitAndJoinedArbitrarilyGiveTheSameBytes(ShimClient client) throws Exception {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        ByteArrayOutputStream expectedOut = new ByteArrayOutputStream();
        ByteArrayOutputStream expectedErr = new ByteArrayOutputStream();
        Random random = new Random(11);
        for (int i = 0; i < 300; i++) {
            byte[] payload = new byte[random.nextInt(40)];
            random.nextBytes(payload);
            FrameType type = random.nextBoolean() ? FrameType.STDOUT : FrameType.STDERR;
            FrameCodec.write(wire, type, payload, 0, payload.length);
            (type == FrameType.STDOUT ? expectedOut : expectedErr).write(payload);
        }
        FrameCodec.write(wire, Frame.exit(3));
        byte[] bytes = wire.toByteArray();
        try (FakeDaemon daemon = daemon((job, c) -> {
            int half = bytes.length / 2;
            c.sendRaw(Arrays.copyOfRange(bytes, 0, half));
            for (int off = half; off < bytes.length; off += 7) {
                c.sendRaw(Arrays.copyOfRange(bytes, off, Math.min(bytes.length, off + 7)));
            }
        })) {
            ShimProcess shim = ShimProcess.start(client, "ffmpeg", env(daemon), "-i", "x");
            assertEquals(3, shim.waitFor(), () -> stderrOf(shim));
            assertArrayEquals(expectedOut.toByteArray(), shim.stdout());
            assertArrayEquals(expectedErr.toByteArray(), shim.stderr());
        }
    }

    @ParameterizedTest(name = "{0} exit {1}")
    @MethodSource("exitCodes")
    void passesTheJobsExitCodeThrough(ShimClient client, int code) throws Exception {
        try (FakeDaemon daemon = daemon((job, c) -> c.exit(code))) {
            ShimProcess shim = ShimProcess.start(client, "ffmpeg", env(daemon), "-version");
            assertEquals(code, shim.waitFor());
            assertEquals(0, shim.stdout().length);
            assertEquals("", shim.stderrText());
        }
    }

    @EveryClient
    void relaysASingleStdinKeyAtOnceAndThenEndOfFile(ShimClient client) throws Exception {
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
            ShimProcess shim = ShimProcess.start(client, "ffmpeg", env(daemon), "-i", "x");
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

    @EveryClient
    void relaysOneMebibyteOfStdinExactlyWhileStdoutFlows(ShimClient client) throws Exception {
        byte[] in = new byte[1 << 20];
        new Random(3).nextBytes(in);
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        try (FakeDaemon daemon = daemon((job, c) -> {
            for (Frame f = c.next(); f != null; f = c.next()) {
                if (f.type() == FrameType.STDIN) {
                    received.write(f.payload());
                    c.send(FrameType.STDOUT, new byte[] {(byte) f.payload().length});
                } else if (f.type() == FrameType.STDIN_EOF) {
                    c.exit(0);
                    return;
                }
            }
        })) {
            ShimProcess shim = ShimProcess.start(client, "ffmpeg", env(daemon), "-i", "-");
            try (OutputStream stdin = shim.process().getOutputStream()) {
                stdin.write(in);
            }
            assertEquals(0, shim.waitFor(), () -> stderrOf(shim));
            daemon.awaitScript();
            assertArrayEquals(in, received.toByteArray());
            assertTrue(shim.stdout().length > 0);
        }
    }

    @ParameterizedTest(name = "{0} locale \"{1}\"")
    @MethodSource("locales")
    void sendsArgumentAndWorkingDirectoryBytesExactlyWhateverTheLocale(ShimClient client, String locale) throws Exception {
        List<byte[]> args = new ArrayList<>();
        for (String s : List.of("", "-i", "file:/media/it's \"a\" $HOME `x`.mkv", "line\nbreak", "é ü 日本", "", "a?b", "")) {
            args.add(s.getBytes(StandardCharsets.UTF_8));
        }
        args.add(new byte[] {'b', (byte) 0xff, (byte) 0xfe, 'c'}); // not UTF-8
        args.add(new byte[] {(byte) 0xe9, '\n'}); // latin-1 é and a trailing newline
        byte[] cwd = concat(dir.toString().getBytes(StandardCharsets.UTF_8), new byte[] {'/', 'd', ' ', (byte) 0xc3, (byte) 0xa9, (byte) 0xff});
        new ProcessBuilder("/bin/sh", "-c", PosixShell.command("mkdir", List.of(cwd), true))
            .inheritIO().start().waitFor();
        try (FakeDaemon daemon = daemon((job, c) -> c.exit(0))) {
            Map<String, String> env = locale.isEmpty()
                ? Map.of("FFDISPATCH_SOCKET", daemon.socket().toString(), "LANG", "C.UTF-8")
                : Map.of("FFDISPATCH_SOCKET", daemon.socket().toString(), "LC_ALL", locale, "LANG", locale);
            ShimProcess shim = ShimProcess.start(client, "/usr/lib/jellyfin-ffmpeg/ffmpeg".getBytes(StandardCharsets.UTF_8),
                args, env, cwd);
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

    /** The daemon forwards TZ, LANG and configured names from this map: it must be the shim's environment. */
    @EveryClient
    void sendsItsEnvironment(ShimClient client) throws Exception {
        try (FakeDaemon daemon = daemon((job, c) -> c.exit(0))) {
            Map<String, String> env = new HashMap<>(env(daemon));
            env.put("TZ", "Europe/Berlin");
            env.put("LANG", "C.UTF-8");
            env.put("FFD_TEST_VALUE", "a=b c =d");
            env.put("FFD_TEST_EMPTY", "");
            ShimProcess shim = ShimProcess.start(client, "ffmpeg", env, "-version");
            assertEquals(0, shim.waitFor(), () -> stderrOf(shim));
            Map<String, String> sent = daemon.job().environment();
            assertEquals("Europe/Berlin", sent.get("TZ"));
            assertEquals("a=b c =d", sent.get("FFD_TEST_VALUE"));
            assertEquals("", sent.get("FFD_TEST_EMPTY"));
            assertEquals("/usr/bin:/bin", sent.get("PATH"));
        }
    }

    @ParameterizedTest(name = "{0} called as \"{1}\"")
    @MethodSource("calledNames")
    void choosesTheToolByBasenameOnly(ShimClient client, String argv0) throws Exception {
        try (FakeDaemon daemon = daemon((job, c) -> c.exit(0))) {
            ShimProcess shim = ShimProcess.start(client, argv0, env(daemon), "-version");
            assertEquals(0, shim.waitFor(), () -> stderrOf(shim));
            String base = argv0.substring(argv0.lastIndexOf('/') + 1);
            Tool expected = base.equals("ffprobe") || base.startsWith("ffprobe.") ? Tool.FFPROBE : Tool.FFMPEG;
            assertEquals(expected, daemon.job().tool());
        }
    }

    @EveryClient
    void withoutTheCalledNameItExits64(ShimClient client) throws Exception {
        ShimProcess shim = ShimProcess.start(client, null, List.of(), Map.of(), null);
        assertEquals(Shim.USAGE, shim.waitFor());
        assertEquals(0, shim.stdout().length);
        String stderr = shim.stderrText();
        assertTrue(stderr.startsWith("ffdispatch: the ") && stderr.contains("start it through bin/ffmpeg or bin/ffprobe"), stderr);
    }

    @EveryClient
    void aConnectionLostWithoutExitIsExit76WithOneStderrLine(ShimClient client) throws Exception {
        try (FakeDaemon daemon = daemon((job, c) -> c.send(FrameType.STDERR, "partial\n".getBytes(StandardCharsets.UTF_8)))) {
            ShimProcess shim = ShimProcess.start(client, "ffmpeg", env(daemon), "-i", "x");
            assertEquals(JobExitCodes.PROTOCOL, shim.waitFor());
            String stderr = shim.stderrText();
            assertTrue(stderr.startsWith("partial\nffdispatch: lost the daemon connection mid-job ("), stderr);
            assertTrue(stderr.endsWith("); the job's result is unknown, see the daemon log (journalctl -u ffdispatch)\n"), stderr);
            assertEquals(2, stderr.split("\n").length, stderr);
            assertEquals(0, shim.stdout().length);
        }
    }

    static Stream<Arguments> badStreams() {
        return everyClientWith(
            new BadStream("connection closed inside a frame", new byte[] {0x11, 0, 0, 0, 9, 'a', 'b'},
                "ffdispatch: lost the daemon connection mid-job (", "connection closed inside a frame"),
            new BadStream("unknown frame type", new byte[] {0x7f, 0, 0, 0, 0},
                "ffdispatch: lost the daemon connection mid-job (", "unknown frame type 0x7f"),
            new BadStream("length over 16 MiB", new byte[] {0x11, 1, 0, 0, 1},
                "ffdispatch: lost the daemon connection mid-job (", "frame length 16777217 outside 0..16777216"),
            new BadStream("STDIN from the daemon", new byte[] {0x02, 0, 0, 0, 1, 'q'},
                "ffdispatch: the daemon sent an unexpected STDIN frame during a job; install the same ffdispatch"
                    + " version for the shim and the daemon", ""),
            new BadStream("EXIT with 3 bytes", new byte[] {0x13, 0, 0, 0, 3, 0, 0, 0},
                "ffdispatch: bad EXIT frame from the daemon (not an EXIT frame: EXIT with 3 bytes); install the"
                    + " same ffdispatch version for the shim and the daemon", ""));
    }

    /** What a daemon of another version (or a broken one) might send, and the one line that says so. */
    record BadStream(String name, byte[] bytes, String start, String contains) {
        @Override
        public String toString() {
            return name;
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("badStreams")
    void aBrokenStreamFromTheDaemonIsExit76WithOneLineSayingWhy(ShimClient client, BadStream bad) throws Exception {
        try (FakeDaemon daemon = daemon((job, c) -> c.sendRaw(bad.bytes()))) {
            ShimProcess shim = ShimProcess.start(client, "ffmpeg", env(daemon), "-i", "x");
            assertEquals(JobExitCodes.PROTOCOL, shim.waitFor(), () -> stderrOf(shim));
            String stderr = shim.stderrText();
            assertTrue(stderr.startsWith(bad.start()) && stderr.contains(bad.contains()), stderr);
            assertEquals(1, stderr.split("\n").length, stderr);
            assertEquals(0, shim.stdout().length, "only whole frames reach stdout");
        }
    }

    /** Jellyfin closed the pipe it reads our stdout from: exit as an ffmpeg killed by SIGPIPE reports. */
    @EveryClient
    void aClosedStdoutIsExit141(ShimClient client) throws Exception {
        CompletableFuture<Void> gone = new CompletableFuture<>();
        try (FakeDaemon daemon = daemon((job, c) -> {
            byte[] chunk = new byte[FrameCodec.CHUNK];
            try {
                for (int i = 0; i < 1000; i++) {
                    c.send(FrameType.STDOUT, chunk);
                }
            } catch (IOException e) {
                // the shim is gone: what this test waits for
            }
            gone.complete(null);
        })) {
            // The client's stdout is a pipe into head, which reads one byte and exits.
            List<String> words = new ArrayList<>(client.command());
            words.addAll(List.of("ffmpeg", "-i", "x"));
            String command = "exec 3>&1; { " + quoted(words) + "; echo $? >&3; } | head -c 1 >/dev/null";
            ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", command);
            builder.environment().putAll(client.environment());
            builder.environment().putAll(env(daemon));
            Process p = builder.start();
            assertTrue(p.waitFor(TestTimeouts.MEDIUM.toMillis(), TimeUnit.MILLISECONDS));
            String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(String.valueOf(JobExitCodes.SIGNAL_BASE + 13), new String(p.getInputStream().readAllBytes(),
                StandardCharsets.UTF_8).strip(), "exit code; stderr: " + stderr);
            assertEquals("", stderr);
            gone.get(TestTimeouts.SHORT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @EveryClient
    void sigkillOfTheShimClosesTheConnectionWithinOneSecond(ShimClient client) throws Exception {
        CompletableFuture<Long> eofAt = new CompletableFuture<>();
        CompletableFuture<Void> running = new CompletableFuture<>();
        try (FakeDaemon daemon = daemon((job, c) -> {
            running.complete(null);
            while (c.next() != null) {
                // the shim sends nothing until it dies; drain anything it does send
            }
            eofAt.complete(System.nanoTime());
        })) {
            ShimProcess shim = ShimProcess.start(client, "ffmpeg", env(daemon), "-i", "x");
            running.get(TestTimeouts.SHORT.toMillis(), TimeUnit.MILLISECONDS);
            long killedAt = System.nanoTime();
            shim.process().destroyForcibly();
            long eof = eofAt.get(TestTimeouts.SHORT.toMillis(), TimeUnit.MILLISECONDS);
            assertTrue(eof - killedAt < TimeUnit.SECONDS.toNanos(1), "EOF after " + (eof - killedAt) / 1_000_000 + " ms");
            assertEquals(137, shim.waitFor());
        }
    }

    @EveryClient
    void findsTheDaemonThroughFfdispatchHome(ShimClient client) throws Exception {
        Path home = Files.createDirectory(dir.resolve("home"));
        try (FakeDaemon daemon = new FakeDaemon(home.resolve("ffdispatch.sock"), (job, c) -> c.exit(5))) {
            ShimProcess shim = ShimProcess.start(client, "ffmpeg", Map.of("FFDISPATCH_HOME", home.toString()), "-version");
            assertEquals(5, shim.waitFor(), () -> stderrOf(shim));
        }
        try (FakeDaemon daemon = daemon((job, c) -> c.exit(6))) {
            ShimProcess shim = ShimProcess.start(client, "ffmpeg", Map.of("FFDISPATCH_HOME", home.toString(),
                "FFDISPATCH_SOCKET", daemon.socket().toString()), "-version");
            assertEquals(6, shim.waitFor(), "FFDISPATCH_SOCKET wins; " + stderrOf(shim));
        }
    }

    @EveryClient
    void runsTheRealLocalFfmpegWhenTheDaemonIsUnreachable(ShimClient client) throws Exception {
        assumeFalse(Files.exists(LocalPrograms.JELLYFIN_FFMPEG_DIR.resolve("ffmpeg")), "a jellyfin-ffmpeg would be chosen first");
        Process direct = new ProcessBuilder("/usr/bin/ffmpeg", "-version").redirectErrorStream(false).start();
        byte[] expected = direct.getInputStream().readAllBytes();
        assertEquals(0, direct.waitFor());
        Path socket = dir.resolve("missing.sock");
        ShimProcess shim = ShimProcess.start(client, "ffmpeg", Map.of("FFDISPATCH_SOCKET", socket.toString()), "-version");
        assertEquals(0, shim.waitFor(), () -> stderrOf(shim));
        assertArrayEquals(expected, shim.stdout());
        String stderr = shim.stderrText();
        assertTrue(stderr.startsWith("ffdispatch: daemon not reachable at " + socket + " (No such file or directory); "), stderr);
        assertTrue(stderr.endsWith("; running /usr/bin/ffmpeg locally. Fix: systemctl start ffdispatch\n"), stderr);
        assertEquals(1, stderr.split("\n").length, stderr);
    }

    @EveryClient
    void aSocketNobodyListensOnCountsAsUnreachable(ShimClient client) throws Exception {
        Path socket = dir.resolve("stale.sock");
        // A socket file whose daemon is gone, as a killed daemon leaves it.
        ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(UnixDomainSocketAddress.of(socket)).close();
        ShimProcess shim = ShimProcess.start(client, "ffmpeg", Map.of("FFDISPATCH_SOCKET", socket.toString(),
            "FFDISPATCH_LOCAL_FFMPEG", "/bin/true"), "-version");
        assertEquals(0, shim.waitFor(), () -> stderrOf(shim));
        assertEquals("ffdispatch: daemon not reachable at " + socket + " (Connection refused); running /bin/true locally."
            + " Fix: systemctl start ffdispatch\n", shim.stderrText());
    }

    /**
     * With the daemon down the local ffmpeg must die with the shim: Jellyfin SIGKILLs the shim 5 s
     * after 'q', and a transcode left running would hold the file and the CPU.
     */
    @EveryClient
    void withTheDaemonDownSigkillOfTheShimLeavesNoFfmpeg(ShimClient client) throws Exception {
        String marker = "ffd-kill-" + UUID.randomUUID();
        ShimProcess shim = ShimProcess.start(client, "ffmpeg", Map.of("FFDISPATCH_SOCKET", dir.resolve("missing.sock").toString(),
            "FFDISPATCH_LOCAL_FFMPEG", "/usr/bin/ffmpeg"), "-nostdin", "-hide_banner", "-re", "-f", "lavfi", "-i",
            "testsrc=duration=600:size=32x32:rate=5", "-metadata", "title=" + marker, "-f", "null", "-");
        try {
            long deadline = System.nanoTime() + TestTimeouts.MEDIUM.toNanos();
            while (LiveProcesses.ffmpegWith(marker).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(1, LiveProcesses.ffmpegWith(marker).size(), () -> "ffmpeg running; " + stderrOf(shim));
            shim.process().destroyForcibly();
            assertEquals(137, shim.waitFor());
            deadline = System.nanoTime() + TestTimeouts.SHORT.toNanos();
            while (!LiveProcesses.ffmpegWith(marker).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(List.of(), LiveProcesses.ffmpegWith(marker), "ffmpeg left running after the shim's SIGKILL");
        } finally {
            shim.process().destroyForcibly();
            for (long pid : LiveProcesses.ffmpegWith(marker)) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly); // only the ffmpeg this test started
            }
        }
    }

    @EveryClient
    void theLocalRunGetsTheExactArgumentBytesUnderLangC(ShimClient client) throws Exception {
        Path dump = dir.resolve("args.bin");
        Path fake = dir.resolve("fake-ffprobe");
        Files.writeString(fake, "#!/bin/sh\nprintf '%s\\0' \"$@\" > '" + dump + "'\nexit 3\n");
        fake.toFile().setExecutable(true);
        List<byte[]> args = List.of(new byte[0], new byte[] {'a', (byte) 0xff, '\n'}, "it's $x".getBytes(StandardCharsets.UTF_8));
        ShimProcess shim = ShimProcess.start(client, "ffprobe".getBytes(StandardCharsets.UTF_8), args,
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

    @EveryClient
    void aMissingLocalProgramIsExit127(ShimClient client) throws Exception {
        ShimProcess shim = ShimProcess.start(client, "ffmpeg", Map.of("FFDISPATCH_SOCKET", dir.resolve("missing.sock").toString(),
            "FFDISPATCH_LOCAL_FFMPEG", dir.resolve("no-such-ffmpeg").toString()), "-version");
        assertEquals(JobExitCodes.NOT_FOUND, shim.waitFor());
        assertEquals(0, shim.stdout().length);
        assertTrue(shim.stderrText().startsWith("ffdispatch: daemon not reachable at "), () -> stderrOf(shim));
        assertTrue(shim.stderrText().contains("no-such-ffmpeg"), () -> stderrOf(shim));
    }

    @EveryClient
    void neverRunsItselfWhenTheOnlyFfmpegOnPathIsTheShim(ShimClient client) throws Exception {
        assumeFalse(Files.exists(LocalPrograms.JELLYFIN_FFMPEG_DIR.resolve("ffmpeg")), "a jellyfin-ffmpeg would be chosen first");
        Path bin = Files.createDirectory(dir.resolve("bin"));
        Path launcher = bin.resolve("ffdispatch-shim");
        Files.writeString(launcher, "#!/bin/sh\necho recursed\nexit 99\n");
        launcher.toFile().setExecutable(true);
        Files.createSymbolicLink(bin.resolve("ffmpeg"), launcher.getFileName());
        ShimProcess shim = ShimProcess.start(client, bin.resolve("ffmpeg").toString(), Map.of(
            "FFDISPATCH_SOCKET", dir.resolve("missing.sock").toString(),
            "PATH", bin + ":" + bin,
            "FFDISPATCH_SHIM_DIR", bin.toString()), "-version");
        assertEquals(JobExitCodes.NOT_FOUND, shim.waitFor());
        assertEquals(0, shim.stdout().length);
        String stderr = shim.stderrText();
        assertTrue(stderr.contains("set FFDISPATCH_LOCAL_FFMPEG to the real ffmpeg"), stderr);
        assertEquals(1, stderr.split("\n").length, stderr);
    }

    @EveryClient
    void refusesToStartAnotherLocalRunFromInsideALocalRun(ShimClient client) throws Exception {
        ShimProcess shim = ShimProcess.start(client, "ffmpeg", Map.of(
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

    private static String quoted(List<String> words) {
        List<byte[]> bytes = new ArrayList<>();
        for (String w : words) {
            bytes.add(w.getBytes(StandardCharsets.UTF_8));
        }
        return PosixShell.command("", bytes, true).strip();
    }

    private static String stderrOf(ShimProcess shim) {
        try {
            return "stderr: " + shim.stderrText();
        } catch (Exception e) {
            return "stderr unavailable: " + e;
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
