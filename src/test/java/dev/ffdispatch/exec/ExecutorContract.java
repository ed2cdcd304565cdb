package dev.ffdispatch.exec;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ffdispatch.TestTimeouts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What every {@link Executor} must do, run against real processes and real ffmpeg. */
abstract class ExecutorContract {
    static final String FFMPEG = "/usr/bin/ffmpeg";

    @TempDir
    Path scratch;
    ScheduledExecutorService scheduler;
    final WatchedStream stdout = new WatchedStream();
    final WatchedStream stderr = new WatchedStream();
    final JobSink sink = new JobSink(stdout, stderr);
    private final List<RunningJob> started = new ArrayList<>();

    /** The executor under test; called after {@link #scheduler} exists. */
    abstract Executor executor();

    @BeforeEach
    void startScheduler() {
        scheduler = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterEach
    void stopEverything() {
        for (RunningJob job : started) {
            ProcessHandle.of(job.pid()).ifPresent(ProcessHandle::destroyForcibly);
        }
        scheduler.shutdownNow();
    }

    RunningJob start(String program, List<String> args, String dir, Map<String, String> env) throws NotStartedException {
        List<byte[]> bytes = new ArrayList<>();
        for (String a : args) {
            bytes.add(a.getBytes(StandardCharsets.UTF_8));
        }
        RunningJob job = executor().start(new JobSpec(program, bytes, dir.getBytes(StandardCharsets.UTF_8), env), sink);
        started.add(job);
        return job;
    }

    RunningJob sh(String script) throws NotStartedException {
        return start("/bin/sh", List.of("-c", script), "", Map.of());
    }

    static int exitOf(RunningJob job) throws Exception {
        return job.exit().get(TestTimeouts.MEDIUM.toMillis(), MILLISECONDS);
    }

    @Test
    void realFfmpegEncodesATestPattern() throws Exception {
        RunningJob job = start(FFMPEG, List.of("-hide_banner", "-nostats", "-f", "lavfi", "-i", "testsrc=d=1:s=64x64",
            "-f", "null", "-"), "", Map.of());
        assertEquals(0, exitOf(job), stderr.text());
        assertTrue(stderr.text().contains("Output #0, null"), stderr.text());
        assertEquals(0, stdout.size());
    }

    @Test
    void qOnStdinEndsALongTranscodeQuickly() throws Exception {
        long t0 = System.nanoTime();
        RunningJob job = start(FFMPEG, List.of("-hide_banner", "-re", "-f", "lavfi", "-i", "testsrc=d=60:s=64x64",
            "-f", "null", "-"), "", Map.of());
        stderr.awaitContains("frame=", TestTimeouts.MEDIUM);
        job.stdin().write('q');
        assertEquals(0, exitOf(job), stderr.text());
        assertTrue(Duration.ofNanos(System.nanoTime() - t0).compareTo(Duration.ofSeconds(30)) < 0, "q did not end ffmpeg early");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 69, 255})
    void exitCodePassesThroughUnchanged(int code) throws Exception {
        assertEquals(code, exitOf(sh("exit " + code)));
    }

    @Test
    void signalDeathReadsAs128PlusN() throws Exception {
        assertEquals(128 + 10, exitOf(sh("kill -USR1 $$")));
    }

    @Test
    void pidIsTheProgramsOwnPid() throws Exception {
        RunningJob job = sh("echo $$");
        assertEquals(0, exitOf(job));
        assertEquals(job.pid() + "\n", stdout.text());
    }

    @Test
    void stdinAndStderrFlowWhileTheJobRuns() throws Exception {
        RunningJob job = sh("printf 'frame=1\\r' >&2; read line; printf 'got %s' \"$line\"; printf 'frame=2\\r' >&2");
        stderr.awaitContains("frame=1\r", TestTimeouts.SHORT);
        assertEquals(0, stdout.size());
        job.stdin().write("key\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(0, exitOf(job));
        assertEquals("got key", stdout.text());
        assertEquals("frame=1\rframe=2\r", stderr.text());
    }

    @Test
    void cancelEndsAProcessThatIgnoresTermAfterTheGrace() throws Exception {
        // The job's program itself ignores TERM (an SSH worker signals only a PID that still runs
        // the job's program, so the program must not exec something else).
        Path stubborn = scratch.resolve("stubborn");
        Files.writeString(stubborn, "#!/bin/sh\ntrap '' TERM\necho ready\nwhile :; do sleep 1; done\n");
        Files.setPosixFilePermissions(stubborn, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        RunningJob job = start(stubborn.toString(), List.of(), "", Map.of());
        stdout.awaitContains("ready", TestTimeouts.SHORT);
        Duration grace = Duration.ofMillis(300);
        long t0 = System.nanoTime();
        job.cancel(grace);
        job.cancel(grace);
        assertEquals(128 + 9, exitOf(job));
        assertTrue(System.nanoTime() - t0 >= grace.toNanos(), "killed before the grace ended");
        assertFalse(ProcessHandle.of(job.pid()).map(ProcessHandle::isAlive).orElse(false), "process " + job.pid() + " left");
    }

    @Test
    void cancelTerminatesAnOrdinaryProcess() throws Exception {
        RunningJob job = start("sleep", List.of("60"), "", Map.of());
        job.cancel(TestTimeouts.MEDIUM);
        assertEquals(128 + 15, exitOf(job));
    }

    @Test
    void runsInTheWorkingDirectory() throws Exception {
        Path dir = Files.createDirectories(scratch.resolve("with space 'and' $x"));
        RunningJob job = start("/bin/sh", List.of("-c", "pwd -P"), dir.toString(), Map.of());
        assertEquals(0, exitOf(job));
        assertEquals(dir.toRealPath() + "\n", stdout.text());
    }

    @Test
    void missingWorkingDirectoryMeansNotStartedAndNothingInTheSink() {
        String missing = scratch.resolve("gone").toString();
        NotStartedException e = assertThrows(NotStartedException.class,
            () -> start("/bin/sh", List.of("-c", "echo ran"), missing, Map.of()));
        assertTrue(e.getMessage().contains("gone"), e.getMessage());
        assertTrue(e.getMessage().contains("working directory"), e.getMessage());
        assertEquals(0, stdout.size());
        assertEquals(0, stderr.size());
    }

    @Test
    void oneMebibyteOfBinaryStdoutArrivesExactly() throws Exception {
        byte[] data = new byte[1 << 20];
        new Random(7).nextBytes(data);
        Path file = Files.write(scratch.resolve("data.bin"), data);
        RunningJob job = start("/bin/cat", List.of(file.toString()), "", Map.of());
        assertEquals(0, exitOf(job));
        assertArrayEquals(data, stdout.toByteArray());
    }

    @Test
    void environmentVariablesReachTheProgram() throws Exception {
        RunningJob job = start("/bin/sh", List.of("-c", "printf '%s' \"$FFD_TEST\""), "",
            Map.of("FFD_TEST", "it's $x \u00e9"));
        assertEquals(0, exitOf(job));
        assertEquals("it's $x \u00e9", stdout.text());
    }
}
