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
 * which client the launcher runs (the native one beside it, the Java shim otherwise,
 * FFDISPATCH_CLIENT), and that stdout carries exactly the daemon's STDOUT bytes whatever state
 * the Java shim's class-data archive is in.
 */
class ShimLauncherIT {
    private static final Path JDK17 = Path.of("/usr/lib/jvm/java-17-openjdk-amd64");
    private static final Path JDK25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");
    /** The JDK running the tests, for the launcher tests that are not about one JDK's archive. */
    private static final Path THIS_JDK = Path.of(System.getProperty("java.home"));
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

    /** The native client beside the launcher, as the package installs it. */
    private void installNativeClient() throws IOException {
        Path client = ffmpeg.resolveSibling("ffdispatch-client");
        Files.copy(ShimClient.nativeDir().resolve("ffdispatch-client"), client);
        client.toFile().setExecutable(true);
    }

    /**
     * Starts {@code launcher -version} against a daemon that holds the job, and returns the
     * program the launcher's process is running by then (it execs the client, so this is it).
     */
    private String clientRunBy(Path launcher, java.util.Map<String, String> env) throws Exception {
        CompletableFuture<Void> release = new CompletableFuture<>();
        try (FakeDaemon daemon = new FakeDaemon(dir.resolve("d" + calls++ + ".sock"), (job, c) -> {
            release.get(TestTimeouts.MEDIUM.toMillis(), TimeUnit.MILLISECONDS);
            c.send(FrameType.STDOUT, BANNER);
            c.exit(0);
        })) {
            ProcessBuilder builder = launcher(THIS_JDK, daemon);
            builder.command(launcher.toString(), "-version");
            builder.environment().putAll(env);
            Process p = builder.start();
            daemon.job();
            String exe = Files.readSymbolicLink(Path.of("/proc", String.valueOf(p.pid()), "exe")).toString();
            release.complete(null);
            assertArrayEquals(BANNER, p.getInputStream().readAllBytes());
            assertEquals("", new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
            assertEquals(0, p.waitFor());
            return exe;
        }
    }

    @Test
    void runsTheNativeClientBesideItAndTheJavaShimWhenAskedOrWhenThereIsNone() throws Exception {
        assertTrue(clientRunBy(ffmpeg, java.util.Map.of()).endsWith("/java"), "no native client: the Java shim");
        installNativeClient();
        assertEquals(ffmpeg.resolveSibling("ffdispatch-client").toString(), clientRunBy(ffmpeg, java.util.Map.of()));
        assertTrue(clientRunBy(ffmpeg, java.util.Map.of("FFDISPATCH_CLIENT", "java")).endsWith("/java"));
        assertEquals(ffmpeg.resolveSibling("ffdispatch-client").toString(),
            clientRunBy(ffmpeg, java.util.Map.of("FFDISPATCH_CLIENT", "native")));
    }

    /** A link from elsewhere (/usr/local/bin/ffmpeg) still finds the client and names the real directory. */
    @Test
    void aLinkFromAnotherDirectoryFindsTheClientToo() throws Exception {
        installNativeClient();
        Path elsewhere = Files.createDirectories(dir.resolve("usr-local-bin"));
        Path link = Files.createSymbolicLink(elsewhere.resolve("ffmpeg"), ffmpeg);
        assertEquals(ffmpeg.resolveSibling("ffdispatch-client").toString(), clientRunBy(link, java.util.Map.of()));
        try (FakeDaemon daemon = new FakeDaemon(dir.resolve("env.sock"), (job, c) -> c.exit(0))) {
            Process p = launcher(THIS_JDK, daemon).command(link.toString(), "-version").start();
            assertEquals(0, p.waitFor());
            assertEquals(ffmpeg.getParent().toRealPath().toString(),
                Path.of(daemon.job().environment().get("FFDISPATCH_SHIM_DIR")).toRealPath().toString());
        }
    }

    @Test
    void aCheckoutRunsTheClientMavenBuiltInTarget() throws Exception {
        Path native0 = Files.createDirectories(dir.resolve("ffd/target/native"));
        Files.copy(ShimClient.nativeDir().resolve("ffdispatch-client"), native0.resolve("ffdispatch-client"));
        native0.resolve("ffdispatch-client").toFile().setExecutable(true);
        assertEquals(native0.resolve("ffdispatch-client").toString(), clientRunBy(ffmpeg, java.util.Map.of()));
    }

    @Test
    void nativeRequiredButMissingIsExit127AndAnUnknownChoiceFallsBackToAuto() throws Exception {
        try (FakeDaemon daemon = new FakeDaemon(dir.resolve("n.sock"), (job, c) -> c.exit(0))) {
            ProcessBuilder builder = launcher(THIS_JDK, daemon);
            builder.environment().put("FFDISPATCH_CLIENT", "native");
            Process p = builder.start();
            String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(127, p.waitFor());
            assertEquals(0, p.getInputStream().readAllBytes().length);
            assertTrue(stderr.startsWith("ffdispatch: FFDISPATCH_CLIENT=native, but there is no native client at "), stderr);
        }
        installNativeClient();
        try (FakeDaemon daemon = new FakeDaemon(dir.resolve("u.sock"), (job, c) -> c.exit(0))) {
            ProcessBuilder builder = launcher(THIS_JDK, daemon);
            builder.environment().put("FFDISPATCH_CLIENT", "jvm");
            Process p = builder.start();
            String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor(), stderr);
            assertEquals("ffdispatch: FFDISPATCH_CLIENT='jvm' is not one of auto, native, java (check "
                + dir.resolve("none.env") + "); using auto\n", stderr);
        }
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
