package dev.ffdispatch.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ffdispatch.TestTimeouts;
import dev.ffdispatch.posix.JobExitCodes;
import dev.ffdispatch.ssh.HostKeyRejectedException;
import dev.ffdispatch.ssh.RemoteChannel;
import dev.ffdispatch.ssh.RemoteExit;
import dev.ffdispatch.ssh.SshChannels;
import dev.ffdispatch.ssh.SshTarget;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Through a worker that is this machine's /bin/sh (see {@link LocalShellChannels}). */
class SshExecutorTest extends ExecutorContract {
    private static final SshTarget TARGET = new SshTarget("gpu1", "192.0.2.1", 22, "ffdispatch");
    private static final SshExecutor.Timeouts TIMEOUTS =
        new SshExecutor.Timeouts(TestTimeouts.SHORT, TestTimeouts.SHORT, TestTimeouts.SHORT);

    private LocalShellChannels worker;
    private PathMapper paths = PathMapper.NONE;
    private SshExecutor.Timeouts timeouts = TIMEOUTS;

    @Override
    Executor executor() {
        if (worker == null) {
            worker = new LocalShellChannels(scratch, "");
        }
        return new SshExecutor(worker, worker, TARGET, paths, scheduler, timeouts);
    }

    @Test
    void cancelSendsAKillRequestForTheReportedPid() throws Exception {
        RunningJob job = sleep60();
        job.cancel(TestTimeouts.MEDIUM);
        assertEquals(128 + 15, exitOf(job));
        assertEquals(List.of("kill TERM " + job.pid() + " sleep"), worker.commands);
    }

    @Test
    void aKillLeavesAPidThatNoLongerRunsTheJobsProgram() throws Exception {
        RunningJob job = sh("exec sleep 60"); // the program is sh; sleep has replaced it
        job.cancel(Duration.ofMillis(200));
        long deadline = System.nanoTime() + TestTimeouts.MEDIUM.toNanos();
        while (worker.answers.size() < 2) {
            assertTrue(System.nanoTime() < deadline, "no TERM and KILL requests: " + worker.commands);
            Thread.sleep(10);
        }
        assertEquals(List.of("absent", "absent"), worker.answers);
        assertTrue(ProcessHandle.of(job.pid()).map(ProcessHandle::isAlive).orElse(false),
            "only a process still running the job's program is signalled");
        assertEquals(List.of("kill TERM " + job.pid() + " sh", "kill KILL " + job.pid() + " sh"), worker.commands);
        ProcessHandle.of(job.pid()).ifPresent(ProcessHandle::destroyForcibly);
    }

    private RunningJob sleep60() throws NotStartedException {
        executor();
        return new SshExecutor(worker, worker, TARGET, paths, scheduler, timeouts)
            .start(new JobSpec("sleep", List.of("60".getBytes(StandardCharsets.UTF_8)), new byte[0], Map.of()), sink);
    }

    @Test
    void cancelAfterTheExitRunsNoKill() throws Exception {
        RunningJob job = sh("exit 0");
        assertEquals(0, exitOf(job));
        job.cancel(Duration.ZERO);
        assertEquals(List.of(), worker.commands);
    }

    @Test
    void argumentsAndWorkingDirectoryArePathMapped() throws Exception {
        Path remote = Files.createDirectories(scratch.resolve("remote media"));
        paths = new PathMapper(List.of(new PathMapper.Mapping("/media", remote.toString())));
        RunningJob job = start("/bin/sh", List.of("-c", "printf '%s|%s' \"$1\" \"$(pwd -P)\"", "sh", "file:/media/a.mkv"),
            "/media", Map.of());
        assertEquals(0, exitOf(job), stderr.text());
        assertEquals("file:" + remote + "/a.mkv|" + remote.toRealPath(), stdout.text());
    }

    @Test
    void bannerBeforeThePidLineReachesStderrFirst() throws Exception {
        worker = new LocalShellChannels(scratch, "echo 'Welcome to gpu1' >&2; ");
        RunningJob job = sh("echo progress >&2");
        assertEquals(0, exitOf(job));
        assertEquals("Welcome to gpu1\nprogress\n", stderr.text());
    }

    @Test
    void channelThatCannotOpenMeansNotStarted() {
        for (IOException failure : List.of(new IOException("Connection refused: /192.0.2.1:22"),
                new HostKeyRejectedException("key changed"))) {
            SshChannels refusing = (target, command, out, err, timeout) -> {
                throw failure;
            };
            SshExecutor executor = new SshExecutor(refusing, worker(), TARGET, PathMapper.NONE, scheduler, TIMEOUTS);
            NotStartedException e = assertThrows(NotStartedException.class, () -> executor.start(spec(), sink));
            String plain = failure instanceof HostKeyRejectedException ? "key changed" : "connection refused";
            assertTrue(e.getMessage().contains("gpu1") && e.getMessage().contains(plain), e.getMessage());
            assertEquals(failure, e.getCause());
        }
    }

    @Test
    void slowStartIsNotStartedAndALatePidIsKilled() throws Exception {
        worker = new LocalShellChannels(scratch, "sleep 1; ");
        timeouts = new SshExecutor.Timeouts(TestTimeouts.SHORT, Duration.ofMillis(100), TestTimeouts.SHORT);
        NotStartedException e = assertThrows(NotStartedException.class, this::sleep60);
        assertTrue(e.getMessage().contains("within PT0.1S"), e.getMessage());
        String kill = worker.firstCommand.get(TestTimeouts.MEDIUM.toMillis(), TimeUnit.MILLISECONDS);
        assertTrue(kill.startsWith("kill KILL ") && kill.endsWith(" sleep"), kill);
        long pid = Long.parseLong(kill.split(" ")[2]);
        ProcessHandle.of(pid).ifPresent(p -> p.onExit().orTimeout(TestTimeouts.SHORT.toMillis(), TimeUnit.MILLISECONDS).join());
        assertEquals(0, stdout.size());
        assertEquals(0, stderr.size());
    }

    @Test
    void lostConnectionAndSignalExitsMapToExitCodes() throws Exception {
        assertEquals(JobExitCodes.WORKER_LOST, exitWith(CompletableFuture.completedFuture(new RemoteExit(null, null, true))));
        assertEquals(JobExitCodes.WORKER_LOST, exitWith(CompletableFuture.failedFuture(new IOException("session closed"))));
        assertEquals(128 + 9, exitWith(CompletableFuture.completedFuture(new RemoteExit(null, "KILL", false))));
    }

    @Test
    void reapEndsOnlyFfmpeg() throws Exception {
        Process ffmpeg = new ProcessBuilder(FFMPEG, "-hide_banner", "-loglevel", "quiet", "-re", "-f", "lavfi",
            "-i", "testsrc=d=60:s=64x64", "-f", "null", "-").redirectInput(ProcessBuilder.Redirect.PIPE).start();
        Process sleeper = new ProcessBuilder("sleep", "60").start();
        try {
            assertEquals("terminated", worker().reap(TARGET, ffmpeg.pid(), TestTimeouts.SHORT));
            assertTrue(ffmpeg.waitFor(TestTimeouts.SHORT.toMillis(), TimeUnit.MILLISECONDS));
            assertEquals("absent", worker().reap(TARGET, sleeper.pid(), TestTimeouts.SHORT));
            assertTrue(sleeper.isAlive(), "reap must not touch a process that is not ffmpeg");
        } finally {
            ffmpeg.destroyForcibly();
            sleeper.destroyForcibly();
        }
        assertThrows(IllegalArgumentException.class, () -> dev.ffdispatch.ssh.WorkerCommands.Request.reap(1));
    }

    private LocalShellChannels worker() {
        if (worker == null) {
            worker = new LocalShellChannels(scratch, "");
        }
        return worker;
    }

    private static JobSpec spec() {
        return new JobSpec("ffmpeg", List.of(), new byte[0], Map.of());
    }

    /** A channel that reports a PID and then ends the way {@code end} says. */
    private int exitWith(CompletableFuture<RemoteExit> end) throws Exception {
        SshChannels scripted = (target, command, out, err, timeout) -> {
            err.write("ffdispatch-pid 123456\n".getBytes(StandardCharsets.US_ASCII));
            return new RemoteChannel() {
                @Override
                public OutputStream stdin() {
                    return new ByteArrayOutputStream();
                }

                @Override
                public CompletableFuture<RemoteExit> exit() {
                    return end;
                }

                @Override
                public void close() {
                }
            };
        };
        RunningJob job = new SshExecutor(scripted, worker(), TARGET, PathMapper.NONE, scheduler, TIMEOUTS).start(spec(), sink);
        assertEquals(123456L, job.pid());
        int code = exitOf(job);
        job.cancel(Duration.ZERO);
        assertFalse(worker().commands.stream().anyMatch(c -> c.contains("123456")), "kill after the exit");
        return code;
    }
}
