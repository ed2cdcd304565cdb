package dev.ffdispatch.daemon;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ffdispatch.TestLogins;
import dev.ffdispatch.TestTimeouts;
import dev.ffdispatch.posix.JobExitCodes;
import dev.ffdispatch.shim.BothClients;
import dev.ffdispatch.shim.ShimClient;
import dev.ffdispatch.shim.ShimProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;

/**
 * The dispatch path against the system's OpenSSH sshd, the server real workers run: exit-signal
 * reporting, kill over a separate exec, and channel behaviour differ from MINA's server.
 */
class OpenSshDispatchIT extends DaemonItBase {
    @BeforeEach
    void start() throws Exception {
        harness = new DaemonHarness(home, Map.of());
        harness.addOpenSshWorker("openssh", 1, DaemonHarness.FFMPEG);
        harness.start();
        harness.awaitUp("openssh");
    }

    @BothClients
    void hlsTranscodeAndVersionProbeThroughOpenSsh(ShimClient client) throws Exception {
        Path out = TestLogins.shareWithLogins(home.resolve("hls")); // ffmpeg writes here as the worker login
        try (ShimProcess shim = harness.shim(client, home, "ffmpeg", List.of("-hide_banner", "-re", "-f", "lavfi", "-i",
            "testsrc2=duration=2:size=160x120:rate=25", "-c:v", "mpeg4", "-f", "hls", "-hls_time", "1",
            "-hls_playlist_type", "vod", out.resolve("index.m3u8").toString()))) {
            shim.closeStdin();
            assertEquals(0, shim.waitFor(TestTimeouts.MEDIUM), shim.stderrText());
        }
        assertTrue(Files.readString(out.resolve("index.m3u8")).contains("#EXT-X-ENDLIST"));

        Process direct = new ProcessBuilder(DaemonHarness.FFMPEG, "-version").start();
        byte[] expected = direct.getInputStream().readAllBytes();
        try (ShimProcess shim = harness.shim(client, home, "ffmpeg", List.of("-version"))) {
            shim.closeStdin();
            assertEquals(0, shim.waitFor(TestTimeouts.MEDIUM), shim.stderrText());
            assertArrayEquals(expected, shim.stdout());
        }
    }

    @BothClients
    void sigkillOfTheShimEndsTheRemoteFfmpeg(ShimClient client) throws Exception {
        // Every worker here shares this machine's process table: find "our" ffmpeg by a unique argument.
        String marker = "ffd-" + UUID.randomUUID();
        Path out = Files.createDirectories(home.resolve(marker));
        try (ShimProcess shim = harness.shim(client, home, "ffmpeg", List.of("-hide_banner", "-re", "-f", "lavfi", "-i",
            "testsrc=duration=600:size=64x64:rate=10", "-f", "null", out.resolve("x").toString()))) {
            assertTrue(shim.awaitStderr("frame=", TestTimeouts.MEDIUM), shim.stderrText());
            assertEquals(1, ffmpegWith(marker));
            shim.process().destroyForcibly();
        }
        long deadline = System.nanoTime() + TestTimeouts.scaled(java.time.Duration.ofSeconds(3)).toNanos();
        while (ffmpegWith(marker) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(0, ffmpegWith(marker), "ffmpeg left running after the shim was killed");
    }

    @BothClients
    void signalDeathAndBinaryStdoutThroughOpenSsh(ShimClient client) throws Exception {
        harness.close();
        harness = new DaemonHarness(home.resolve("sh"), Map.of());
        harness.addOpenSshWorker("sh", 1, "/bin/sh");
        harness.start();
        harness.awaitUp("sh");
        try (ShimProcess shim = harness.shim(client, home, "ffmpeg", List.of("-c", "kill -9 $$"))) {
            shim.closeStdin();
            assertEquals(JobExitCodes.SIGNAL_BASE + 9, shim.waitFor(TestTimeouts.MEDIUM),
                "OpenSSH reports exit-signal KILL: " + shim.stderrText());
        }
        byte[] data = new byte[1 << 20];
        new Random(3).nextBytes(data);
        Path file = Files.write(home.resolve("blob"), data);
        try (ShimProcess shim = harness.shim(client, home, "ffmpeg", List.of("-c", "cat \"$1\"", "sh", file.toString()))) {
            shim.closeStdin();
            assertEquals(0, shim.waitFor(TestTimeouts.MEDIUM), shim.stderrText());
            assertArrayEquals(data, shim.stdout());
        }
    }

    private static long ffmpegWith(String marker) {
        return ProcessHandle.allProcesses()
            .filter(p -> p.info().command().map(c -> c.endsWith("/ffmpeg")).orElse(false))
            .filter(p -> p.info().arguments().map(a -> String.join(" ", a).contains(marker)).orElse(false))
            .count();
    }
}
