package dev.ffdispatch.daemon;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ffdispatch.TestTimeouts;
import dev.ffdispatch.demo.LoopbackWorker;
import dev.ffdispatch.posix.JobExitCodes;
import dev.ffdispatch.protocol.Tool;
import dev.ffdispatch.shim.BothClients;
import dev.ffdispatch.shim.ShimClient;
import dev.ffdispatch.shim.ShimProcess;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The whole dispatch path with real parts: the shim as its own process, the daemon, MINA SSH
 * workers on loopback running real /bin/sh and real ffmpeg.
 */
class DispatchIT extends DaemonItBase {
    private DaemonHarness oneWorker(String program) throws Exception {
        harness = new DaemonHarness(home, Map.of());
        harness.addWorker("w1", 1, program);
        harness.start();
        harness.awaitUp("w1");
        return harness;
    }

    @BothClients
    void hlsTranscodeOfAGeneratedClipRunsOnTheWorker(ShimClient client) throws Exception {
        oneWorker(DaemonHarness.FFMPEG);
        Path out = Files.createDirectories(home.resolve("transcodes"));
        try (ShimProcess shim = harness.shim(client, home, "ffmpeg", List.of("-hide_banner", "-re", "-f", "lavfi", "-i",
            "testsrc2=duration=2:size=160x120:rate=25", "-c:v", "mpeg4", "-f", "hls", "-hls_time", "1",
            "-hls_playlist_type", "vod", "-hls_segment_filename", out.resolve("seg%03d.ts").toString(),
            out.resolve("index.m3u8").toString()))) {
            shim.closeStdin();
            assertEquals(0, shim.waitFor(TestTimeouts.MEDIUM), shim.stderrText());
            assertEquals(0, shim.stdout().length, "ffmpeg wrote files, never stdout");
            assertTrue(shim.stderrText().contains("time="), "progress lines reach Jellyfin on stderr");
        }
        assertTrue(Files.readString(out.resolve("index.m3u8")).contains("#EXT-X-ENDLIST"));
        assertTrue(Files.exists(out.resolve("seg000.ts")));
        assertTrue(harness.workers.get("w1").commands().stream().anyMatch(c -> c.contains("index.m3u8")),
            "the job ran on the worker, not locally");
    }

    /** Jellyfin's start-up validation reads these from stdout; any difference breaks detection. */
    @BothClients
    void jellyfinStartupProbesGiveByteIdenticalStdout(ShimClient client) throws Exception {
        oneWorker(DaemonHarness.FFMPEG);
        List<List<String>> probes = new ArrayList<>(List.of(List.of("-version"), List.of("-version"),
            List.of("-decoders"), List.of("-encoders"), List.of("-filters"), List.of("-hwaccels")));
        for (String filter : List.of("scale_cuda", "tonemap_opencl", "overlay_vaapi", "yadif", "scale")) {
            probes.add(List.of("-h", "filter=" + filter));
        }
        for (String bsf : List.of("h264_mp4toannexb", "hevc_mp4toannexb", "aac_adtstoasc")) {
            probes.add(List.of("-h", "bsf=" + bsf));
        }
        // Asked twice: the first -h run is learned from, the second answered from the profile.
        for (List<String> args : concatLists(probes, probes)) {
            Process direct = new ProcessBuilder(concat(DaemonHarness.FFMPEG, args)).start();
            java.util.concurrent.CompletableFuture<byte[]> directErr = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return direct.getErrorStream().readAllBytes();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            byte[] expected = direct.getInputStream().readAllBytes();
            direct.waitFor();
            try (ShimProcess shim = harness.shim(client, home, "ffmpeg", args)) {
                shim.closeStdin();
                assertEquals(direct.exitValue(), shim.waitFor(TestTimeouts.MEDIUM), args + ": " + shim.stderrText());
                assertArrayEquals(expected, shim.stdout(), "stdout of " + args);
                assertArrayEquals(directErr.join(), shim.stderr(), "stderr of " + args);
            }
        }
    }

    private static <T> List<T> concatLists(List<T> a, List<T> b) {
        List<T> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    @BothClients
    void qOnStdinEndsATranscodeCleanly(ShimClient client) throws Exception {
        oneWorker(DaemonHarness.FFMPEG);
        try (ShimProcess shim = harness.shim(client, home, "ffmpeg", List.of("-hide_banner", "-re", "-f", "lavfi", "-i",
            "testsrc=duration=600:size=64x64:rate=10", "-f", "null", "-"))) {
            assertTrue(shim.awaitStderr("frame=", TestTimeouts.MEDIUM), shim.stderrText());
            shim.writeStdin("q\n");
            assertEquals(0, shim.waitFor(TestTimeouts.MEDIUM), shim.stderrText());
        }
        awaitNoFfmpeg(harness.workers.get("w1"));
    }

    /** Jellyfin's pause-key check: writes '?', closes stdin, looks for the key help on stderr. */
    @BothClients
    void pauseKeyCheckShowsTheKeyHelpOnStderr(ShimClient client) throws Exception {
        oneWorker(DaemonHarness.FFMPEG);
        try (ShimProcess shim = harness.shim(client, home, "ffmpeg",
            List.of("-hide_banner", "-re", "-f", "lavfi", "-i", "nullsrc=s=1x1:d=10000", "-f", "null", "-"))) {
            shim.writeStdin("?");
            shim.closeStdin();
            assertTrue(shim.awaitStderr("show this help", TestTimeouts.MEDIUM), shim.stderrText());
            shim.process().destroyForcibly();
        }
        awaitNoFfmpeg(harness.workers.get("w1"));
    }

    @BothClients
    void sigkillOfTheShimLeavesNoFfmpegOnTheWorker(ShimClient client) throws Exception {
        oneWorker(DaemonHarness.FFMPEG);
        LoopbackWorker worker = harness.workers.get("w1");
        try (ShimProcess shim = harness.shim(client, home, "ffmpeg", List.of("-hide_banner", "-re", "-f", "lavfi", "-i",
            "testsrc=duration=600:size=64x64:rate=10", "-f", "null", "-"))) {
            assertTrue(shim.awaitStderr("frame=", TestTimeouts.MEDIUM), shim.stderrText());
            assertEquals(1, worker.liveFfmpeg());
            shim.process().destroyForcibly(); // SIGKILL, as Jellyfin does 5 s after 'q'
        }
        awaitNoFfmpeg(worker);
    }

    @Test
    void exitCodesPassThroughUnchanged() throws Exception {
        oneWorker("/bin/sh");
        for (int code : new int[] {0, 1, 69, 255}) {
            SocketJobs.Result result = harness.call(Tool.FFMPEG, DaemonHarness.bytes("-c", "exit " + code), new byte[0]);
            assertEquals(code, result.exitCode(), result.stderrText());
        }
        SocketJobs.Result killed = harness.call(Tool.FFMPEG, DaemonHarness.bytes("-c", "kill -9 $$"), new byte[0]);
        assertEquals(JobExitCodes.SIGNAL_BASE + 9, killed.exitCode(), killed.stderrText());
    }

    @BothClients
    void aRealShimExitsWithTheJobsCodeAndKeepsItsStreamsApart(ShimClient client) throws Exception {
        oneWorker("/bin/sh");
        try (ShimProcess shim = harness.shim(client, home, "ffmpeg", List.of("-c", "echo out; echo err >&2; exit 69"))) {
            shim.closeStdin();
            assertEquals(69, shim.waitFor(TestTimeouts.MEDIUM));
            assertEquals("out\n", shim.stdoutText());
            assertEquals("err\n", shim.stderrText());
        }
    }

    @Test
    void randomArgumentVectorsArriveByteIdentical() throws Exception {
        oneWorker("/bin/sh");
        Random random = new Random(20261122);
        String[] pieces = {"'", "\"", "$", "`", "\\", "\n", " ", "-", "--", "$(id)", "\u00e9", "\u65e5", "|", ";", "*", "%", "="};
        for (int vector = 0; vector < 1000; vector++) {
            List<byte[]> args = new ArrayList<>(DaemonHarness.bytes("-c", "printf '%s\\0' \"$@\"", "sh"));
            List<byte[]> expected = new ArrayList<>();
            for (int i = random.nextInt(6); i >= 0; i--) {
                byte[] arg = randomArg(random, pieces);
                args.add(arg);
                expected.add(arg);
            }
            SocketJobs.Result result = harness.call(Tool.FFMPEG, args, new byte[0]);
            assertEquals(0, result.exitCode(), result.stderrText());
            assertArrayEquals(nulJoined(expected), result.stdout(), "vector " + vector);
        }
    }

    @BothClients
    void argumentBytesSurviveTheRealShimUnderTheCLocale(ShimClient client) throws Exception {
        oneWorker("/bin/sh");
        List<String> weird = List.of("", "file:/media/It's \"x\" (2024) $HOME `id`.mkv", "caf\u00e9\n\u65e5\u672c", "-");
        List<String> args = new ArrayList<>(List.of("-c", "printf '%s\\0' \"$@\"", "sh"));
        args.addAll(weird);
        try (ShimProcess shim = ShimProcess.client(client, harness.socket(), home, "ffmpeg", args, Map.of("LC_ALL", "C", "LANG", "C"))) {
            shim.closeStdin();
            assertEquals(0, shim.waitFor(TestTimeouts.MEDIUM), shim.stderrText());
            List<byte[]> expected = new ArrayList<>();
            weird.forEach(w -> expected.add(w.getBytes(StandardCharsets.UTF_8)));
            assertArrayEquals(nulJoined(expected), shim.stdout());
        }
    }

    @BothClients
    void oneMebibyteOfBinaryStdoutArrivesExact(ShimClient client) throws Exception {
        oneWorker("/bin/cat");
        byte[] data = new byte[1 << 20];
        new Random(7).nextBytes(data);
        Path file = Files.write(home.resolve("blob.bin"), data);
        try (ShimProcess shim = harness.shim(client, home, "ffmpeg", List.of(file.toString()))) {
            shim.closeStdin();
            assertEquals(0, shim.waitFor(TestTimeouts.MEDIUM), shim.stderrText());
            assertArrayEquals(data, shim.stdout());
        }
    }

    @BothClients
    void workingDirectoryIsHonoured(ShimClient client) throws Exception {
        oneWorker("/bin/sh");
        Path dir = Files.createDirectories(home.resolve("attach it's $here"));
        try (ShimProcess shim = harness.shim(client, dir, "ffmpeg", List.of("-c", "pwd"))) {
            shim.closeStdin();
            assertEquals(0, shim.waitFor(TestTimeouts.MEDIUM), shim.stderrText());
            assertEquals(dir.toRealPath() + "\n", shim.stdoutText());
        }
    }

    @Test
    void aDeadHostSendsTheJobToTheNextOne() throws Exception {
        harness = new DaemonHarness(home, Map.of()); // no probe between the death and the job
        harness.addWorker("big", 4, "/bin/sh");
        harness.addWorker("small", 1, "/bin/sh");
        harness.start();
        harness.awaitUp("big", "small");
        harness.workers.get("big").stop(); // dies between polls: the daemon still thinks it is up
        SocketJobs.Result result = harness.call(Tool.FFMPEG, DaemonHarness.bytes("-c", "echo ran"), new byte[0]);
        assertEquals(0, result.exitCode(), result.stderrText());
        assertEquals("ran\n", new String(result.stdout(), StandardCharsets.UTF_8));
        assertTrue(harness.workers.get("small").commands().stream().anyMatch(c -> c.contains("echo ran")));
        harness.awaitState("DOWN", "big");
    }

    @Test
    void noWorkerMeansLocalFallbackOrAClearError() throws Exception {
        harness = new DaemonHarness(home, Map.of("FFDISPATCH_LOCAL_FFMPEG", "/bin/sh"));
        harness.start();
        SocketJobs.Result local = harness.call(Tool.FFMPEG, DaemonHarness.bytes("-c", "echo local"), new byte[0]);
        assertEquals(0, local.exitCode(), local.stderrText());
        assertEquals("local\n", new String(local.stdout(), StandardCharsets.UTF_8));
        harness.close();

        harness = new DaemonHarness(home.resolve("nofallback"), Map.of("FFDISPATCH_LOCAL_FALLBACK", "false"));
        harness.start();
        SocketJobs.Result refused = harness.call(Tool.FFMPEG, DaemonHarness.bytes("-version"), new byte[0]);
        assertEquals(JobExitCodes.NO_HOST, refused.exitCode());
        assertTrue(refused.stderrText().contains("local fallback is off"), refused.stderrText());
    }

    private static byte[] randomArg(Random random, String[] pieces) {
        ByteArrayOutputStream arg = new ByteArrayOutputStream();
        for (int i = random.nextInt(5); i > 0; i--) {
            switch (random.nextInt(3)) {
                case 0 -> arg.writeBytes(pieces[random.nextInt(pieces.length)].getBytes(StandardCharsets.UTF_8));
                case 1 -> arg.write(1 + random.nextInt(255)); // any byte but NUL, valid UTF-8 or not
                default -> arg.writeBytes(("w" + random.nextInt(100)).getBytes(StandardCharsets.UTF_8));
            }
        }
        return arg.toByteArray();
    }

    private static byte[] nulJoined(List<byte[]> words) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] w : words) {
            out.writeBytes(w);
            out.write(0);
        }
        return out.toByteArray();
    }

    private static List<String> concat(String first, List<String> rest) {
        List<String> all = new ArrayList<>();
        all.add(first);
        all.addAll(rest);
        return all;
    }

    static void awaitNoFfmpeg(LoopbackWorker worker) throws InterruptedException {
        long deadline = System.nanoTime() + TestTimeouts.scaled(java.time.Duration.ofSeconds(3)).toNanos();
        while (worker.liveFfmpeg() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(0, worker.liveFfmpeg(), "ffmpeg processes left on worker " + worker.name());
    }
}
