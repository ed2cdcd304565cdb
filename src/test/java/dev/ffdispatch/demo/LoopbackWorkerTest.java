package dev.ffdispatch.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.ffdispatch.TestTimeouts;
import dev.ffdispatch.ssh.CommandResult;
import dev.ffdispatch.ssh.HostKeys;
import dev.ffdispatch.ssh.KeyFiles;
import dev.ffdispatch.ssh.SshPool;
import dev.ffdispatch.ssh.SshSettings;
import dev.ffdispatch.ssh.SshTarget;
import dev.ffdispatch.ssh.WorkerCommands;
import dev.ffdispatch.ssh.WorkerLinks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoopbackWorkerTest {
    @TempDir
    Path dir;
    LoopbackWorker worker;
    SshPool pool;
    SshTarget target;

    @BeforeEach
    void setUp() throws Exception {
        Path identity = dir.resolve("id_ed25519");
        KeyFiles.ensureIdentity(identity);
        worker = LoopbackWorker.start("w1", dir.resolve("w1"), KeyFiles.publicKey(identity));
        target = new SshTarget("w1", "127.0.0.1", worker.port(), System.getProperty("user.name"));
        Path knownHosts = dir.resolve("known_hosts");
        new HostKeys(knownHosts).pin(target, worker.hostKey());
        pool = new SshPool(new SshSettings(knownHosts, List.of(identity), TestTimeouts.SHORT, TestTimeouts.SHORT,
            Duration.ofSeconds(30), Duration.ofMinutes(5), 2));
        pool.start();
    }

    @AfterEach
    void tearDown() throws Exception {
        pool.close();
        worker.close();
    }

    @Test
    void runsCommandsWithShellSyntaxAndRecordsThem() throws Exception {
        CommandResult r = pool.run(target, "a='x  y'; printf '%s|' \"$a\" $a", TestTimeouts.SHORT);

        assertEquals("x  y|x|y|", new String(r.stdout(), StandardCharsets.UTF_8));
        assertEquals(List.of("a='x  y'; printf '%s|' \"$a\" $a"), worker.commands());
    }

    @Test
    void answersTheFfmpegProbeWithItsOwnAndForeignProcesses() throws Exception {
        worker.foreignFfmpeg(2);
        assertEquals("2", probe());

        Path marker = dir.resolve("running");
        pool.open(target, "exec /usr/bin/ffmpeg -nostdin -hide_banner -loglevel error -re -f lavfi "
                + "-i nullsrc=s=16x16:d=60 -f null - & touch " + marker + "; wait",
            java.io.OutputStream.nullOutputStream(), java.io.OutputStream.nullOutputStream(), TestTimeouts.SHORT);
        awaitLiveFfmpeg(1);

        assertEquals("3", probe());
        worker.close(); // kills what the worker started
        assertEquals(0, worker.liveFfmpeg());
    }

    @Test
    void restartKeepsPortAndHostKey() throws Exception {
        int port = worker.port();
        String fingerprint = HostKeys.fingerprint(worker.hostKey());
        assertEquals(0, pool.run(target, "true", TestTimeouts.SHORT).exitCode());

        worker.restart();

        assertEquals(port, worker.port());
        assertEquals(fingerprint, HostKeys.fingerprint(worker.hostKey()));
        assertEquals(0, pool.run(target, "true", TestTimeouts.SHORT).exitCode());
    }

    @Test
    void aClosedChannelDoesNotStopTheProcess() throws Exception {
        Path done = dir.resolve("done");
        var channel = pool.open(target, "read x; touch " + done, java.io.OutputStream.nullOutputStream(),
            java.io.OutputStream.nullOutputStream(), TestTimeouts.SHORT);
        channel.close();

        // The shell still waits on stdin, which got EOF with the channel: it goes on and finishes its work.
        long end = System.nanoTime() + TestTimeouts.SHORT.toNanos();
        while (!java.nio.file.Files.exists(done) && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        assertTrue(java.nio.file.Files.exists(done));
    }

    /** The count over the worker link, checked against the one-shot probe command. */
    private String probe() throws Exception {
        CommandResult r = pool.run(target, WorkerCommands.FFMPEG_COUNT, TestTimeouts.SHORT);
        assertEquals(0, r.exitCode());
        String viaExec = new String(r.stdout(), StandardCharsets.US_ASCII).trim();
        try (WorkerLinks links = new WorkerLinks(pool, TestTimeouts.SHORT, TestTimeouts.SHORT, WorkerLinks.Listener.NONE)) {
            String viaLink = String.valueOf(links.count(target, TestTimeouts.SHORT).ffmpegCount());
            assertEquals(viaExec, "ok " + viaLink);
            assertEquals("pong", links.ask(target, WorkerCommands.Request.ping(), TestTimeouts.SHORT).payload());
            return viaLink;
        }
    }

    private void awaitLiveFfmpeg(int count) throws InterruptedException {
        long end = System.nanoTime() + TestTimeouts.SHORT.toNanos();
        while (worker.liveFfmpeg() < count && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        assertEquals(count, worker.liveFfmpeg());
    }
}
