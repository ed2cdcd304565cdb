package dev.ffdispatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ffdispatch.demo.LoopbackWorker;
import dev.ffdispatch.ssh.HostKeys;
import dev.ffdispatch.ssh.KeyFiles;
import dev.ffdispatch.ssh.OpenSshServer;
import dev.ffdispatch.ssh.SshTarget;
import dev.ffdispatch.TestLogins;
import dev.ffdispatch.ssh.SshTestbed;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code worker-setup} through the real command line against a loopback MINA worker and OpenSSH's sshd. */
class WorkerSetupCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;
    private Path identity;
    /** Workers in the home, accepting the key the CLI uses there; nothing pinned (worker-setup must not need it). */
    private SshTestbed ssh;

    @BeforeEach
    void testbed() throws Exception {
        ssh = new SshTestbed(home);
        identity = ssh.identity();
    }

    @AfterEach
    void close() throws Exception {
        ssh.close();
    }

    private record Run(int code, String out, JsonNode json) {
        JsonNode check(String name) {
            for (JsonNode c : json.get("checks")) {
                if (c.get("check").asText().equals(name)) {
                    return c;
                }
            }
            throw new AssertionError("no check '" + name + "' in " + out);
        }

        String status(String name) {
            return check(name).get("status").asText();
        }
    }

    private Run setup(int port, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("worker-setup", "127.0.0.1", "--port", Integer.toString(port), "--json"));
        args.addAll(List.of(extra));
        CliRunner.Result r = new CliRunner(home).env("PATH", "/usr/bin:/bin").run(args.toArray(String[]::new));
        return new Run(r.code(), r.toString(), JSON.readTree(r.out()));
    }

    private LoopbackWorker worker(PublicKey authorized) throws Exception {
        return ssh.unpinnedWorker("w", authorized);
    }

    private Path dir(String name) throws Exception {
        return Files.createDirectories(home.resolve(name));
    }

    @Test
    void aHealthyPinnedWorkerPassesAndGetsItsHostAddLine() throws Exception {
        LoopbackWorker worker = worker(KeyFiles.publicKey(identity));
        new HostKeys(home.resolve("known_hosts")).pin(new SshTarget("w1", "127.0.0.1", worker.port(), "ff"), worker.hostKey());
        Run run = setup(worker.port(), "--name", "w1", "--user", "ff", "--path", dir("media").toString(),
            "--transcodes", dir("transcodes").toString());
        assertEquals(0, run.code(), run.out());
        for (JsonNode c : run.json().get("checks")) {
            if (!c.get("check").asText().equals("shell start-up")) { // timing: may warn on a loaded machine
                assertEquals("ok", c.get("status").asText(), run.out());
            }
        }
        assertTrue(run.check("host key").get("detail").asText().contains("(pinned)"), run.out());
        assertEquals("ffdispatch host add 127.0.0.1 --name w1 --user ff --port " + worker.port()
            + " --ffmpeg /usr/bin/ffmpeg --ffprobe /usr/bin/ffprobe", run.json().get("host_add").asText(), run.out());
        assertTrue(run.json().get("trust").isNull(), "already pinned: " + run.out());
        assertTrue(run.check("filesystem " + home.resolve("transcodes")).get("detail").asText().contains("same machine"),
            run.out());
    }

    @Test
    void anUnpinnedKeyIsShownDoesNotBlockAndIsNeverWritten() throws Exception {
        LoopbackWorker worker = worker(KeyFiles.publicKey(identity));
        Run run = setup(worker.port(), "--name", "w1");
        assertEquals(0, run.code(), run.out());
        JsonNode key = run.check("host key");
        assertEquals("warn", key.get("status").asText());
        assertTrue(key.get("detail").asText().contains(HostKeys.fingerprint(worker.hostKey())), run.out());
        assertTrue(key.get("fix").asText().contains("ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub"), run.out());
        assertEquals("ok", run.status("login"));
        assertEquals("ok", run.status("ffmpeg"));
        assertEquals("ok", run.status("pgrep"));
        assertEquals("ffdispatch host trust w1", run.json().get("trust").asText());
        assertFalse(Files.exists(home.resolve("known_hosts")), "worker-setup must not pin");
    }

    @Test
    void anUnauthorizedKeyFailsWithTheExactAuthorizedKeysLine() throws Exception {
        KeyPair other = KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256);
        LoopbackWorker worker = worker(other.getPublic());
        Run run = setup(worker.port(), "--user", "ff");
        assertEquals(1, run.code(), run.out());
        JsonNode login = run.check("login");
        assertEquals("fail", login.get("status").asText());
        String pub = Files.readString(home.resolve("id_ed25519.pub"), StandardCharsets.US_ASCII).strip();
        assertTrue(login.get("fix").asText().contains("~ff/.ssh/authorized_keys"), run.out());
        assertTrue(login.get("fix").asText().endsWith("restrict " + pub), run.out());
    }

    @Test
    void missingAndUnwritableDirectoriesFail() throws Exception {
        LoopbackWorker worker = worker(KeyFiles.publicKey(identity));
        Run run = setup(worker.port(), "--path", home.resolve("absent").toString(), "--path", "/unwritable",
            "--map", "/unwritable=/proc/1");
        assertEquals(1, run.code(), run.out());
        assertEquals("fail", run.status("dir " + home.resolve("absent")));
        JsonNode proc = run.check("dir /unwritable -> /proc/1");
        assertEquals("fail", proc.get("status").asText());
        assertTrue(proc.get("detail").asText().contains("not writable"), run.out());
        assertTrue(run.json().get("host_add").asText().endsWith("--map /unwritable=/proc/1"), run.out());
    }

    @Test
    void anUnreachablePortFailsFirstAndStops() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Run run = setup(port);
        assertEquals(1, run.code(), run.out());
        assertEquals(1, run.json().get("checks").size(), run.out());
        assertEquals("fail", run.status("reachable"));
    }

    @Test
    void theTextFormEndsWithTheLinesToRun() throws Exception {
        LoopbackWorker worker = worker(KeyFiles.publicKey(identity));
        CliRunner.Result r = new CliRunner(home).env("PATH", "/usr/bin:/bin")
            .run("worker-setup", "127.0.0.1", "--port", Integer.toString(worker.port()), "--name", "w1");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("[warn] host key: "), r.out());
        assertTrue(r.out().contains("[ok]   login: "), r.out());
        assertTrue(r.out().endsWith("next, on this machine:\n  ffdispatch host add 127.0.0.1 --name w1 --user ffdispatch --port "
            + worker.port() + " --ffmpeg /usr/bin/ffmpeg --ffprobe /usr/bin/ffprobe\n  ffdispatch host trust w1\n"), r.out());
    }

    @Test
    void aRealOpenSshWorkerPasses() throws Exception {
        OpenSshServer sshd = ssh.unpinnedOpenSsh("real", List.of());
        String login = TestLogins.workerUser();
        Path transcodes = TestLogins.shareWithLogins(home.resolve("transcodes"));
        Run run = setup(sshd.port(), "--user", login, "--name", "real", "--transcodes", transcodes.toString());
        assertEquals(0, run.code(), run.out() + sshd.log());
        assertEquals("ok", run.status("login"));
        assertEquals("ok", run.status("login output"));
        assertEquals("ok", run.status("ffmpeg"));
        assertEquals("ok", run.status("ffprobe"));
        assertEquals("ok", run.status("dir " + home.resolve("transcodes")));
        assertEquals("ok", run.status("pgrep"), run.out());
        assertTrue(run.json().get("host_add").asText().contains("--user " + login + " --port " + sshd.port()), run.out());
        assertFalse(Files.exists(home.resolve("known_hosts")));
    }
}
