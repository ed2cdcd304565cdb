package dev.ffdispatch.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ffdispatch.posix.JobExitCodes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.ffdispatch.TestTimeouts;
import dev.ffdispatch.demo.LoopbackWorker;
import org.apache.sshd.common.io.nio2.Nio2Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SshPoolTest {
    @RegisterExtension
    final SshTestbed bed = new SshTestbed();

    @Test
    void runsACommandAndReturnsOutputAndExitCode() throws Exception {
        LoopbackWorker worker = bed.worker("w1");
        SshPool pool = bed.pool();

        CommandResult result = pool.run(SshTestbed.target(worker), "echo out; echo err >&2; exit 3", TestTimeouts.SHORT);

        assertEquals(3, result.exitCode());
        assertEquals("out\n", new String(result.stdout(), StandardCharsets.UTF_8));
        assertEquals("err\n", new String(result.stderr(), StandardCharsets.UTF_8));
        assertEquals(List.of("echo out; echo err >&2; exit 3"), worker.commands());
    }

    @Test
    void reusesOneSessionForSequentialCommandsWithTcpNoDelay() throws Exception {
        LoopbackWorker worker = bed.worker("w1");
        SshPool pool = bed.pool();
        SshTarget target = SshTestbed.target(worker);

        for (int i = 0; i < 5; i++) {
            assertEquals(0, pool.run(target, "true", TestTimeouts.SHORT).exitCode());
        }

        assertEquals(1, pool.sessionCount(target));
        try (PooledChannel channel = pool.openChannel(target, "true", new ByteArrayOutputStream(),
            new ByteArrayOutputStream(), Deadline.after(TestTimeouts.SHORT))) {
            Nio2Session io = (Nio2Session) channel.session().getIoSession();
            assertTrue(io.getSocket().getOption(StandardSocketOptions.TCP_NODELAY), "TCP_NODELAY must be on");
        }
    }

    @Test
    void opensMoreSessionsWhenTheServerRefusesChannels() throws Exception {
        LoopbackWorker worker = bed.worker("w1");
        worker.maxChannelsPerSession(3);
        SshPool pool = bed.pool(withMaxSessions(bed.settings(), 7));
        SshTarget target = SshTestbed.target(worker);
        ExecutorService callers = Executors.newFixedThreadPool(20);
        try {
            List<Future<CommandResult>> results = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                int n = i;
                // Each holds its channel until all 20 are open: stdin EOF only comes from run(), so use a
                // command that waits for a file the test creates once every channel is open.
                Callable<CommandResult> call = () -> pool.run(target,
                    "while [ ! -e " + bed.dir().resolve("go") + " ]; do sleep 0.05; done; echo " + n, TestTimeouts.MEDIUM);
                results.add(callers.submit(call));
            }
            waitUntilCommandsSeen(worker, 20);
            Files.createFile(bed.dir().resolve("go"));
            for (int i = 0; i < 20; i++) {
                CommandResult r = results.get(i).get(TestTimeouts.MEDIUM.toMillis(), TimeUnit.MILLISECONDS);
                assertEquals(i + "\n", new String(r.stdout(), StandardCharsets.US_ASCII));
            }
            assertEquals(7, pool.sessionCount(target));
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void reconnectsAfterTheWorkerCameBack() throws Exception {
        LoopbackWorker worker = bed.worker("w1");
        Duration connectTimeout = Duration.ofSeconds(1);
        SshSettings s = bed.settings();
        SshPool pool = bed.pool(new SshSettings(s.knownHosts(), s.identities(), connectTimeout, s.authTimeout(),
            s.heartbeat(), s.idleTimeout(), s.maxSessionsPerHost()));
        SshTarget target = SshTestbed.target(worker);
        assertEquals(0, pool.run(target, "true", TestTimeouts.SHORT).exitCode());

        worker.stop();
        long started = System.nanoTime();
        IOException down = assertThrows(IOException.class, () -> pool.run(target, "true", TestTimeouts.MEDIUM));
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertTrue(took.compareTo(connectTimeout.plus(TestTimeouts.SHORT)) < 0, "took " + took);
        assertTrue(down.getMessage().contains("w1"), down.getMessage());

        worker.restart();
        assertEquals(0, pool.run(target, "true", TestTimeouts.SHORT).exitCode());
        assertEquals(1, pool.sessionCount(target));
    }

    @Test
    void rejectsAnUnknownHostKeyWithFingerprintAndFix() throws Exception {
        LoopbackWorker worker = bed.unpinnedWorker("w1");
        SshPool pool = bed.pool();

        HostKeyRejectedException e = assertThrows(HostKeyRejectedException.class,
            () -> pool.run(SshTestbed.target(worker), "true", TestTimeouts.SHORT));

        assertTrue(e.getMessage().contains(HostKeys.fingerprint(worker.hostKey())), e.getMessage());
        assertTrue(e.getMessage().contains("ffdispatch host trust w1"), e.getMessage());
        assertTrue(e.getMessage().contains("not pinned"), e.getMessage());
        assertTrue(worker.commands().isEmpty());
    }

    @Test
    void rejectsAChangedHostKeyAndAcceptsItOncePinned() throws Exception {
        LoopbackWorker first = bed.worker("w1");
        int port = first.port();
        PublicKey old = first.hostKey();
        first.stop();
        // Same address and port, new host key: a reinstalled worker (or someone in between).
        LoopbackWorker second = LoopbackWorker.start("w1", bed.dir().resolve("reinstalled"),
            KeyFiles.publicKey(bed.identity()), port);
        try {
            SshPool pool = bed.pool();
            SshTarget target = SshTestbed.target(second);

            HostKeyRejectedException e = assertThrows(HostKeyRejectedException.class,
                () -> pool.run(target, "true", TestTimeouts.SHORT));
            assertTrue(e.getMessage().contains("CHANGED"), e.getMessage());
            assertTrue(e.getMessage().contains(HostKeys.fingerprint(second.hostKey())), e.getMessage());
            assertTrue(e.getMessage().contains(HostKeys.fingerprint(old)), e.getMessage());

            new HostKeys(bed.knownHosts()).pin(target, second.hostKey());
            assertEquals(0, pool.run(target, "true", TestTimeouts.SHORT).exitCode());
        } finally {
            second.close();
        }
    }

    @Test
    void logsInWithAnEd25519OrAnRsaPemIdentity() throws Exception {
        Path rsa = bed.dir().resolve("id_rsa");
        Path ed = bed.dir().resolve("id_ed25519_openssh");
        keygen("rsa", "-b", "2048", "-m", "PEM", "-f", rsa.toString());
        keygen("ed25519", "-f", ed.toString());
        assertTrue(Files.readString(rsa).startsWith("-----BEGIN RSA PRIVATE KEY-----"));
        assertTrue(Files.readString(ed).startsWith("-----BEGIN OPENSSH PRIVATE KEY-----"));
        LoopbackWorker worker = bed.worker("w1");
        worker.authorize(KeyFiles.publicKey(rsa));
        worker.authorize(KeyFiles.publicKey(ed));

        for (Path identity : List.of(rsa, ed)) {
            SshSettings s = bed.settings();
            SshPool pool = bed.pool(new SshSettings(s.knownHosts(), List.of(identity), s.connectTimeout(),
                s.authTimeout(), s.heartbeat(), s.idleTimeout(), s.maxSessionsPerHost()));
            assertEquals(0, pool.run(SshTestbed.target(worker), "true", TestTimeouts.SHORT).exitCode(), identity.toString());
        }
    }

    @Test
    void failsLoginWithAKeyTheWorkerDoesNotAuthorize() throws Exception {
        LoopbackWorker worker = bed.worker("w1");
        Path other = bed.dir().resolve("other");
        KeyFiles.ensureIdentity(other);
        SshSettings s = bed.settings();
        SshPool pool = bed.pool(new SshSettings(s.knownHosts(), List.of(other), s.connectTimeout(),
            s.authTimeout(), s.heartbeat(), s.idleTimeout(), s.maxSessionsPerHost()));

        IOException e = assertThrows(IOException.class,
            () -> pool.run(SshTestbed.target(worker), "true", TestTimeouts.SHORT));

        assertTrue(e.getMessage().contains("authorized_keys"), e.getMessage());
        assertTrue(!(e instanceof HostKeyRejectedException));
    }

    @Test
    void aMissingIdentityFailsEachConnectNamingTheFileAndTheFixThenRecovers() throws Exception {
        Path missing = bed.dir().resolve("nope");
        SshSettings s = bed.settings();
        try (SshPool pool = new SshPool(new SshSettings(s.knownHosts(), List.of(missing), s.connectTimeout(),
            s.authTimeout(), s.heartbeat(), s.idleTimeout(), s.maxSessionsPerHost()))) {
            pool.start(); // the daemon must still start and serve jobs locally
            SshTarget target = SshTestbed.target(bed.worker("w1"));

            IOException e = assertThrows(IOException.class, () -> pool.run(target, "true", TestTimeouts.SHORT));

            assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
            assertTrue(e.getMessage().contains("ssh-keygen -t ed25519 -N '' -f " + missing), e.getMessage());
            java.nio.file.Files.copy(s.identities().get(0), missing); // the admin creates the key: no restart
            assertEquals(0, pool.run(target, "true", TestTimeouts.MEDIUM).exitCode());
        }
    }

    @Test
    void aSilentLinkIsDetectedByKeepaliveAndItsJobsEndAsLost() throws Exception {
        LoopbackWorker worker = bed.worker("w1");
        SshPool pool = bed.pool();
        try (FreezableProxy link = new FreezableProxy(worker.port())) {
            SshTarget viaLink = new SshTarget("w1", "127.0.0.1", link.port(), SshTestbed.target(worker).user());
            new HostKeys(bed.settings().knownHosts()).pin(viaLink, worker.hostKey());
            PooledChannel job = pool.openChannel(viaLink, "sleep 60", new ByteArrayOutputStream(),
                new ByteArrayOutputStream(), Deadline.after(TestTimeouts.MEDIUM));

            assertEquals(0, pool.dropSilentSessions(viaLink, TestTimeouts.SHORT), "a live session answers");
            link.freeze(); // the cable is pulled: no FIN, no RST, nothing
            assertEquals(1, pool.dropSilentSessions(viaLink, Duration.ofMillis(500)));

            RemoteExit exit = job.exit().get(TestTimeouts.SHORT.toMillis(), TimeUnit.MILLISECONDS);
            assertTrue(exit.connectionLost(), exit.toString());
            assertEquals(JobExitCodes.WORKER_LOST, exit.exitCode());
        }
    }

    private static SshSettings withMaxSessions(SshSettings s, int max) {
        return new SshSettings(s.knownHosts(), s.identities(), s.connectTimeout(), s.authTimeout(), s.heartbeat(),
            s.idleTimeout(), max);
    }

    private static void waitUntilCommandsSeen(LoopbackWorker worker, int count) throws InterruptedException {
        long end = System.nanoTime() + TestTimeouts.MEDIUM.toNanos();
        while (worker.commands().size() < count && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        assertEquals(count, worker.commands().size(), "commands started on the worker");
    }

    private static void keygen(String type, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("ssh-keygen", "-q", "-t", type, "-N", ""));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void aRevokedHostKeyIsRefusedEvenWhenItIsPinned() throws Exception {
        LoopbackWorker worker = bed.worker("w1");
        String key = org.apache.sshd.common.config.keys.PublicKeyEntry.toString(worker.hostKey());
        Files.writeString(bed.knownHosts(), "@revoked * " + key + "\n", java.nio.file.StandardOpenOption.APPEND);
        SshPool pool = bed.pool();

        HostKeyRejectedException e = assertThrows(HostKeyRejectedException.class,
            () -> pool.run(SshTestbed.target(worker), "true", TestTimeouts.SHORT));

        assertTrue(e.getMessage().contains("@revoked") && e.getMessage().contains(HostKeys.fingerprint(worker.hostKey())),
            e.getMessage());
        assertTrue(worker.commands().isEmpty());
    }

    @Test
    void aPrivateKeyOthersCanReadIsRefusedLikeOpenSshDoes() throws Exception {
        LoopbackWorker worker = bed.worker("w1");
        for (String mode : new String[] {"rw-rw-rw-", "rw-r-----", "rw----r--"}) {
            Files.setPosixFilePermissions(bed.identity(), java.nio.file.attribute.PosixFilePermissions.fromString(mode));
            SshPool pool = bed.pool();
            IOException e = assertThrows(IOException.class, () -> pool.run(SshTestbed.target(worker), "true", TestTimeouts.SHORT),
                mode);
            assertTrue(e.getMessage().contains(bed.identity().toString()) && e.getMessage().contains("chmod 600"),
                mode + ": " + e.getMessage());
        }
        assertTrue(worker.commands().isEmpty(), "never logged in with an exposed key");
        Files.setPosixFilePermissions(bed.identity(), java.nio.file.attribute.PosixFilePermissions.fromString("r--------"));
        assertEquals(0, bed.pool().run(SshTestbed.target(worker), "true", TestTimeouts.SHORT).exitCode());
    }
}
