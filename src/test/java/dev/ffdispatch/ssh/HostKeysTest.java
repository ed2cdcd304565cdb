package dev.ffdispatch.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import java.util.Optional;

import dev.ffdispatch.TestTimeouts;
import dev.ffdispatch.demo.LoopbackWorker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class HostKeysTest {
    @RegisterExtension
    final SshTestbed bed = new SshTestbed();

    @Test
    void fetchReturnsTheWorkersHostKeyWithoutLoggingIn() throws Exception {
        LoopbackWorker worker = bed.unpinnedWorker("w1");

        PublicKey key = new HostKeys(bed.knownHosts()).fetch(SshTestbed.target(worker), TestTimeouts.SHORT);

        assertEquals(HostKeys.fingerprint(worker.hostKey()), HostKeys.fingerprint(key));
        assertTrue(worker.commands().isEmpty());
    }

    @Test
    void fetchFromAClosedPortFailsNamingTheHost() throws Exception {
        LoopbackWorker worker = bed.unpinnedWorker("w1");
        worker.stop();

        IOException e = assertThrows(IOException.class,
            () -> new HostKeys(bed.knownHosts()).fetch(SshTestbed.target(worker), TestTimeouts.SHORT));

        assertTrue(e.getMessage().contains("w1"), e.getMessage());
    }

    @Test
    void fingerprintMatchesOpenSsh() throws Exception {
        Path pub = KeyFiles.publicKeyFile(bed.identity());
        Process p = new ProcessBuilder("ssh-keygen", "-l", "-E", "sha256", "-f", pub.toString()).start();
        String line = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertEquals(0, p.waitFor());

        assertEquals(line.split(" ")[1], HostKeys.fingerprint(KeyFiles.publicKey(bed.identity())));
    }

    @Test
    void pinReplacesTheOldLineOfThatHostAndPortOnly() throws Exception {
        LoopbackWorker a = bed.unpinnedWorker("a");
        LoopbackWorker b = bed.unpinnedWorker("b");
        HostKeys keys = new HostKeys(bed.knownHosts());
        SshTarget target = SshTestbed.target(a);
        keys.pin(target, b.hostKey());
        keys.pin(SshTestbed.target(b), b.hostKey());

        keys.pin(target, a.hostKey());

        assertEquals(Optional.of(HostKeys.fingerprint(a.hostKey())), keys.pinned(target).map(HostKeys::fingerprint));
        assertEquals(Optional.of(HostKeys.fingerprint(b.hostKey())),
            keys.pinned(SshTestbed.target(b)).map(HostKeys::fingerprint));
        List<String> lines = Files.readAllLines(bed.knownHosts());
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.get(1).startsWith("[127.0.0.1]:" + a.port() + " ecdsa-sha2-nistp256 "), lines.toString());
    }

    @Test
    void nothingIsPinnedWithoutAFile() throws Exception {
        assertEquals(Optional.empty(), new HostKeys(bed.dir().resolve("absent")).pinned(
            new SshTarget("w", "127.0.0.1", 22, "u")));
    }
}
