package dev.ffdispatch.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ffdispatch.TestLogins;
import dev.ffdispatch.TestTimeouts;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worker link against the real OpenSSH sshd, logged in as the tests' worker logins. */
class WorkerLinksTest {
    /** What a chatty ~/.bashrc prints before the command runs: lines, and a line without newline. */
    private static final String CHATTY = "ForceCommand printf 'Welcome to worker\\n1 ok 99\\nffdispatch-link 1 x ready\\n"
        + "no newline'; eval \"$SSH_ORIGINAL_COMMAND\"";
    /** A worker where our long-lived command ends at once (a restricted account, say). */
    private static final String NO_LINK = "ForceCommand case \"$SSH_ORIGINAL_COMMAND\" in *ffdispatch-link*)"
        + " echo no loops here >&2; exit 1;; *) eval \"$SSH_ORIGINAL_COMMAND\";; esac";

    @TempDir
    Path dir;
    private SshTestbed bed;
    private OpenSshServer sshd;
    private WorkerLinks links;
    private final List<Duration> started = new CopyOnWriteArrayList<>();
    private final List<String> fellBack = new CopyOnWriteArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        if (links != null) {
            links.close();
        }
        if (bed != null) {
            bed.close();
        }
        if (sshd != null) {
            sshd.close();
        }
    }

    private SshTarget start(List<String> sshdConfig) throws Exception {
        bed = new SshTestbed(dir);
        sshd = OpenSshServer.start(dir.resolve("sshd"), List.of(KeyFiles.publicKey(bed.identity())), sshdConfig,
            TestTimeouts.MEDIUM);
        SshTarget target = sshd.target("w");
        new HostKeys(bed.knownHosts()).pin(target, sshd.hostKey());
        links = new WorkerLinks(bed.pool(), TestTimeouts.SHORT, TestTimeouts.MEDIUM, new WorkerLinks.Listener() {
            @Override
            public void linkStarted(SshTarget t, Duration loginShell) {
                started.add(loginShell);
            }

            @Override
            public void fellBack(SshTarget t, String reason) {
                fellBack.add(reason);
            }
        });
        return target;
    }

    @Test
    void manyProbesOverOneLinkStartedOnce() throws Exception {
        SshTarget target = start(List.of());
        for (int i = 0; i < 20; i++) {
            WorkerLink.Probe probe = links.count(target, TestTimeouts.SHORT);
            assertTrue(probe.ffmpegCount() >= 0);
        }
        assertEquals(1, started.size(), "one link for all probes: " + started);
        assertEquals("channel", links.status(target).mode());
        assertNotNull(links.status(target).loginShell());
    }

    @Test
    void skipsWhatTheLoginShellPrintsFirst() throws Exception {
        SshTarget target = start(List.of(CHATTY));
        assertEquals("pong", links.ask(target, WorkerCommands.Request.ping(), TestTimeouts.SHORT).payload());
        assertTrue(links.count(target, TestTimeouts.SHORT).ffmpegCount() >= 0);
        assertEquals(List.of(), fellBack);
        assertEquals("channel", links.status(target).mode());
    }

    @Test
    void reopensALinkThatDied() throws Exception {
        SshTarget target = start(List.of());
        links.count(target, TestTimeouts.SHORT);
        // The worker's side ends: kill this sshd's shell that runs the link loop.
        List<ProcessHandle> loops = sshd.processes().filter(p -> p.info().arguments().map(List::of)
            .map(a -> String.join(" ", a).contains("ffdispatch-link")).orElse(false)).toList();
        assertEquals(1, loops.size(), "one link loop on the worker");
        loops.get(0).destroyForcibly();
        long deadline = System.nanoTime() + TestTimeouts.MEDIUM.toNanos();
        while (links.status(target).mode().equals("channel")) {
            assertTrue(System.nanoTime() < deadline, "the link's end was not noticed");
            Thread.sleep(10);
        }
        links.count(target, TestTimeouts.SHORT);
        assertEquals(2, started.size(), started.toString());
        assertEquals("channel", links.status(target).mode());
    }

    @Test
    void fallsBackToOneExecPerProbeWhenNoLinkStays() throws Exception {
        SshTarget target = start(List.of(NO_LINK));
        WorkerLink.Probe probe = links.count(target, TestTimeouts.MEDIUM);
        assertTrue(probe.ffmpegCount() >= 0);
        assertEquals(1, fellBack.size(), fellBack.toString());
        assertTrue(fellBack.get(0).contains("no loops here"), fellBack.get(0));
        WorkerLinks.LinkStatus status = links.status(target);
        assertEquals("exec", status.mode());
        assertTrue(status.note().contains("ended the link before it was ready"), status.note());
    }

    @Test
    void identityIsTheResolvedBinaryWithSizeAndMtime() throws Exception {
        SshTarget target = start(List.of());
        Path real = Path.of("/bin/sh").toRealPath();
        BinaryIdentity id = links.identity(target, "/bin/sh", TestTimeouts.SHORT);
        assertEquals(real.toString(), id.path());
        assertEquals(Files.size(real), id.size());
        assertEquals(Files.getLastModifiedTime(real).toInstant().getEpochSecond(), id.modified().getEpochSecond());
        assertEquals(id, links.identity(target, "sh", TestTimeouts.SHORT), "a name is looked up on the PATH");
        WorkerAnswerException missing = assertThrows(WorkerAnswerException.class,
            () -> links.identity(target, "/no/such dir/ffmpeg", TestTimeouts.SHORT));
        assertTrue(missing.getMessage().contains("/no/such dir/ffmpeg"), missing.getMessage());
    }

    @Test
    void killsAndReapsOnlyFfmpeg() throws Exception {
        SshTarget target = start(List.of());
        SshPool pool = bed.pool();
        Running sleeper = run(pool, target, "exec sleep 60");
        Running ffmpeg = run(pool, target, "exec ffmpeg -nostdin -hide_banner -loglevel error -re -f lavfi"
            + " -i anullsrc -f null -");
        Running ffmpeg2 = run(pool, target, "exec ffmpeg -nostdin -hide_banner -loglevel error -re -f lavfi"
            + " -i anullsrc -f null -");

        assertEquals("absent", links.kill(target, sleeper.pid, "TERM", "ffmpeg", TestTimeouts.SHORT));
        assertEquals("absent", links.reap(target, sleeper.pid, TestTimeouts.SHORT));
        assertFalse(sleeper.channel.exit().isDone(), "a process that is not ffmpeg is left alone");

        assertEquals("sent", links.kill(target, ffmpeg.pid, "TERM", "ffmpeg", TestTimeouts.SHORT));
        ffmpeg.channel.exit().get(TestTimeouts.MEDIUM.toMillis(), TimeUnit.MILLISECONDS);
        assertEquals("terminated", links.reap(target, ffmpeg2.pid, TestTimeouts.MEDIUM));
        ffmpeg2.channel.exit().get(TestTimeouts.MEDIUM.toMillis(), TimeUnit.MILLISECONDS);
        assertEquals("absent", links.reap(target, ffmpeg2.pid, TestTimeouts.MEDIUM));
        assertEquals(1, started.size(), "kills and reaps went over the one link");
        sleeper.channel.close();
        assertEquals("sent", links.kill(target, sleeper.pid, "KILL", "sleep", TestTimeouts.SHORT),
            "a job whose program has another name is killed by that name");
    }

    @Test
    void slowLoginShellIsPaidOnceAndTimedAsTheLinkStarts() throws Exception {
        Assumptions.assumeTrue(TestLogins.slowLoginUnavailable().isEmpty(), () -> TestLogins.slowLoginUnavailable().get());
        bed = new SshTestbed(dir);
        sshd = OpenSshServer.start(dir.resolve("sshd"), List.of(KeyFiles.publicKey(bed.identity())),
            List.of(TestLogins.slowLoginConfig(Duration.ofMillis(1500))), TestTimeouts.MEDIUM);
        SshTarget target = sshd.target("slow", TestLogins.slowUser());
        new HostKeys(bed.knownHosts()).pin(target, sshd.hostKey());
        links = new WorkerLinks(bed.pool(), TestTimeouts.SHORT, TestTimeouts.MEDIUM, new WorkerLinks.Listener() {
            @Override
            public void linkStarted(SshTarget t, Duration loginShell) {
                started.add(loginShell);
            }
        });
        for (int i = 0; i < 5; i++) {
            links.count(target, TestTimeouts.SHORT);
        }
        assertEquals(1, started.size());
        assertTrue(started.get(0).compareTo(Duration.ofMillis(1500)) >= 0, "the login shell sleeps 1.5 s: " + started);

        WorkerLinks impatient = new WorkerLinks(bed.pool(), TestTimeouts.SHORT, Duration.ofMillis(300),
            WorkerLinks.Listener.NONE);
        LoginShellTimeoutException slow = assertThrows(LoginShellTimeoutException.class,
            () -> impatient.count(target, TestTimeouts.SHORT));
        assertTrue(Reasons.of(slow).startsWith("login shell took more than 300 ms"), Reasons.of(slow));
        impatient.close();
    }

    private record Running(RemoteChannel channel, long pid) {
    }

    /** A process on the worker through its own exec channel; its PID from the first stdout line. */
    private static Running run(SshPool pool, SshTarget target, String command) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RemoteChannel channel = pool.open(target, "echo $$; " + command, out, new ByteArrayOutputStream(),
            TestTimeouts.MEDIUM);
        long deadline = System.nanoTime() + TestTimeouts.MEDIUM.toNanos();
        while (!out.toString(StandardCharsets.UTF_8).contains("\n")) {
            assertTrue(System.nanoTime() < deadline, "no PID line from " + command);
            Thread.sleep(10);
        }
        long pid = Long.parseLong(out.toString(StandardCharsets.UTF_8).strip());
        // Wait until the exec has happened: the process's name is no longer sh.
        List<String> names = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            String name = ProcessHandle.of(pid).flatMap(p -> p.info().command()).orElse("");
            names.add(name);
            if (!name.endsWith("/sh") && !name.endsWith("/dash") && !name.isEmpty()) {
                return new Running(channel, pid);
            }
            Thread.sleep(10);
        }
        throw new AssertionError("process " + pid + " never exec'd " + command + ": " + names);
    }
}
