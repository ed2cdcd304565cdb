package dev.ffdispatch.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ffdispatch.TestTimeouts;
import dev.ffdispatch.demo.LoopbackWorker;
import dev.ffdispatch.posix.JobExitCodes;
import dev.ffdispatch.protocol.Tool;
import dev.ffdispatch.shim.BothClients;
import dev.ffdispatch.shim.ShimClient;
import dev.ffdispatch.shim.ShimProcess;
import dev.ffdispatch.ssh.CommandResult;
import dev.ffdispatch.ssh.SshPool;
import dev.ffdispatch.ssh.SshSettings;
import dev.ffdispatch.ssh.SshTarget;
import dev.ffdispatch.store.JobRecord;
import dev.ffdispatch.store.JobState;
import dev.ffdispatch.store.Store;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Start and stop of the daemon: graceful shutdown, socket ownership, reaping an earlier run. */
class DaemonLifecycleIT extends DaemonItBase {
    @BothClients
    void shutdownGivesJobsTheGraceThenCancelsThem(ShimClient client) throws Exception {
        harness = new DaemonHarness(home, Map.of("FFDISPATCH_DAEMON_SHUTDOWN_GRACE", "500ms"));
        LoopbackWorker worker = harness.addWorker("w", 1, DaemonHarness.FFMPEG);
        harness.start();
        harness.awaitUp("w");
        try (ShimProcess shim = harness.shim(client, home, "ffmpeg", List.of("-hide_banner", "-re", "-f", "lavfi", "-i",
            "testsrc=duration=600:size=64x64:rate=10", "-f", "null", "-"))) {
            assertTrue(shim.awaitStderr("frame=", TestTimeouts.MEDIUM), shim.stderrText());
            harness.daemon().close(); // what SIGTERM does
            int code = shim.waitFor(TestTimeouts.MEDIUM);
            assertEquals(JobExitCodes.CANCELLED, code, shim.stderrText());
            assertTrue(shim.stderrText().contains("shutting down"), shim.stderrText());
        }
        DispatchIT.awaitNoFfmpeg(worker);
        assertFalse(Files.exists(harness.socket()), "socket file removed on stop");
    }

    @Test
    void aSecondDaemonOnTheSameSocketIsRefusedAndAStaleSocketIsReplaced() throws Exception {
        harness = new DaemonHarness(home, Map.of());
        harness.start();
        IOException e = assertThrows(IOException.class, () -> Daemon.start(harness.config));
        assertTrue(e.getMessage().contains("already listening"), e.getMessage());
        harness.close();
        harness = null;

        // A crashed daemon leaves its socket file behind: nobody answers there.
        ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        DaemonHarness fresh = new DaemonHarness(home, Map.of());
        Files.deleteIfExists(fresh.socket());
        dead.bind(UnixDomainSocketAddress.of(fresh.socket()));
        dead.close(); // the file stays, the listener is gone
        assertTrue(Files.exists(fresh.socket()));
        harness = fresh;
        harness.start();
        SocketJobs.Result result = harness.call(Tool.FFMPEG,
            DaemonHarness.bytes("-version"), new byte[0]);
        assertEquals(0, result.exitCode(), result.stderrText());
    }

    /** A daemon killed with -9 leaves ffmpeg running on a worker; the next start ends it. */
    @Test
    void startReapsWhatACrashedRunLeftOnAWorker() throws Exception {
        harness = new DaemonHarness(home, Map.of());
        LoopbackWorker worker = harness.addWorker("w", 1, DaemonHarness.FFMPEG);
        // Start an orphan the way a dead daemon would have: through SSH, pid recorded as running.
        long pid;
        try (SshPool pool = new SshPool(SshSettings.defaults(
            harness.config.state().knownHosts(), harness.config.ssh().identities()))) {
            pool.start();
            CommandResult started = pool.run(
                new SshTarget("w", "127.0.0.1", worker.port(), System.getProperty("user.name")),
                "nohup " + DaemonHarness.FFMPEG + " -nostdin -re -f lavfi -i testsrc=duration=600 -f null - >/dev/null 2>&1 & echo $!",
                TestTimeouts.MEDIUM);
            pid = Long.parseLong(new String(started.stdout()).trim());
        }
        try (Store store = Store.open(harness.config.state())) {
            long id = store.jobStarted("ffmpeg", "w", "-f lavfi -i testsrc ...", Instant.now(), "an-earlier-run");
            store.jobPid(id, pid);
        }
        assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "orphan is running");
        harness.start();
        long deadline = System.nanoTime() + TestTimeouts.MEDIUM.toNanos();
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "orphan ffmpeg reaped");
        List<JobRecord> jobs = harness.daemon().store().jobs(10, "w", false);
        long lostDeadline = System.nanoTime() + TestTimeouts.SHORT.toNanos();
        while (jobs.stream().noneMatch(j -> j.state() == JobState.LOST) && System.nanoTime() < lostDeadline) {
            Thread.sleep(50);
            jobs = harness.daemon().store().jobs(10, "w", false);
        }
        assertTrue(jobs.stream().anyMatch(j -> j.state() == JobState.LOST && j.pid() == pid), jobs.toString());
    }
}
