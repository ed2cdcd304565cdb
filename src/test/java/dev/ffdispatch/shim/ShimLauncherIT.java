package dev.ffdispatch.shim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ffdispatch.TestTimeouts;
import dev.ffdispatch.protocol.FrameType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/ffmpeg from a packaged layout ({@code bin/}, {@code ffdispatch.jar}) against a fake daemon:
 * stdout carries exactly the daemon's STDOUT bytes whatever state the class-data archive is in.
 */
class ShimLauncherIT {
    private static final Path JDK17 = Path.of("/usr/lib/jvm/java-17-openjdk-amd64");
    private static final Path JDK25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");
    /** Starts like ffmpeg's version banner, then bytes no text layer may touch. */
    private static final byte[] BANNER = concat("ffmpeg version 7.1-it\n".getBytes(StandardCharsets.UTF_8),
        new byte[] {0, (byte) 0xff, '\r', '\n'});

    @TempDir
    Path dir;
    private Path ffmpeg;
    private Path jar;
    private int calls;

    @BeforeEach
    void install() throws IOException {
        Path bin = Files.createDirectories(dir.resolve("ffd/bin"));
        Files.copy(Path.of("bin/ffdispatch-shim"), bin.resolve("ffdispatch-shim"));
        Files.createSymbolicLink(bin.resolve("ffmpeg"), Path.of("ffdispatch-shim"));
        ffmpeg = bin.resolve("ffmpeg");
        jar = Files.copy(Path.of(System.getProperty("ffdispatch.jar", "target/ffdispatch.jar")), dir.resolve("ffd/ffdispatch.jar"));
    }

    /** Runs bin/ffmpeg -version once against a fresh fake daemon; returns its stderr. */
    private String versionCall(Path javaHome) throws Exception {
        try (FakeDaemon daemon = new FakeDaemon(dir.resolve("d" + calls++ + ".sock"), (job, c) -> {
            c.send(FrameType.STDOUT, BANNER);
            c.exit(0);
        })) {
            Process p = launcher(javaHome, daemon).start();
            byte[] stdout = p.getInputStream().readAllBytes();
            String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(TestTimeouts.MEDIUM.toMillis(), TimeUnit.MILLISECONDS));
            assertEquals(0, p.exitValue(), stderr);
            assertArrayEquals(BANNER, stdout, "stdout; stderr was: " + stderr);
            return stderr;
        }
    }

    private ProcessBuilder launcher(Path javaHome, FakeDaemon daemon) {
        ProcessBuilder builder = new ProcessBuilder(ffmpeg.toString(), "-version");
        builder.environment().clear();
        builder.environment().putAll(java.util.Map.of("PATH", "/usr/bin:/bin", "JAVA_HOME", javaHome.toString(),
            "HOME", dir.toString(), "FFDISPATCH_SOCKET", daemon.socket().toString(),
            "FFDISPATCH_SHIM_ENV", dir.resolve("none.env").toString()));
        return builder;
    }

    private List<String> archives(String suffix) throws IOException {
        try (Stream<Path> files = Files.list(jar.getParent())) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("ffdispatch.jar.") && n.endsWith(suffix)).sorted().toList();
        }
    }

    /** Waits (bounded) until the background work of a call has left a file ending in suffix. */
    private List<String> awaitArchive(String suffix) throws Exception {
        long deadline = System.nanoTime() + TestTimeouts.MEDIUM.toNanos();
        while (archives(suffix).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100); // polls a file the launcher writes in the background; no timing logic
        }
        return archives(suffix);
    }

    @Test
    void jdk17StdoutStaysExactWithTheArchiveAbsentBeingCreatedPresentAndStale() throws Exception {
        assumeTrue(Files.isExecutable(JDK17.resolve("bin/java")));
        assertEquals("", versionCall(JDK17)); // absent: this call records the archive
        assertEquals(1, archives(".tmp").size());
        assertEquals("", versionCall(JDK17)); // promotes it
        List<String> present = archives(".jsa");
        assertEquals(1, present.size());
        assertEquals("", versionCall(JDK17)); // uses it
        assertEquals(present, archives(".jsa"));

        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() - 60_000));
        assertEquals("", versionCall(JDK17)); // stale: not used, a new one is recorded silently
        assertEquals("", versionCall(JDK17));
        List<String> rebuilt = archives(".jsa");
        assertEquals(1, rebuilt.size(), "old archive removed: " + rebuilt);
        assertFalse(rebuilt.equals(present), "archive keyed to the changed jar");
    }

    @Test
    void jdk17StdoutStaysExactWhileAnotherCallIsCreatingTheArchive() throws Exception {
        assumeTrue(Files.isExecutable(JDK17.resolve("bin/java")));
        CompletableFuture<Void> release = new CompletableFuture<>();
        try (FakeDaemon slow = new FakeDaemon(dir.resolve("slow.sock"), (job, c) -> {
            release.get(TestTimeouts.MEDIUM.toMillis(), TimeUnit.MILLISECONDS);
            c.send(FrameType.STDOUT, BANNER);
            c.exit(0);
        })) {
            Process creator = launcher(JDK17, slow).start();
            slow.job(); // the creator is running, its archive not yet written
            assertEquals("", versionCall(JDK17));
            release.complete(null);
            assertArrayEquals(BANNER, creator.getInputStream().readAllBytes());
            assertEquals(0, creator.waitFor());
        }
        assertEquals("", versionCall(JDK17));
        assertEquals(1, archives(".jsa").size());
    }

    @Test
    void jdk25StdoutStaysExactWhileTheAotCacheIsRecordedAssembledAndUsed() throws Exception {
        assumeTrue(Files.isExecutable(JDK25.resolve("bin/java")));
        String first = versionCall(JDK25); // records
        assertTrue(first.isEmpty() || first.startsWith(" AOTConfiguration recorded"), first);
        assertEquals("", versionCall(JDK25)); // assembles in the background
        assertEquals(1, awaitArchive(".aot").size());
        assertEquals("", versionCall(JDK25)); // uses it
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
