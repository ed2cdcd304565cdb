package dev.ffdispatch.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.PublicKey;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KnownHostsTest {
    @TempDir
    Path dir;

    @Test
    void usesOpenSshHostPatterns() {
        assertEquals("w1.lan", KnownHosts.hostPattern("w1.lan", 22));
        assertEquals("[10.0.0.5]:2222", KnownHosts.hostPattern("10.0.0.5", 2222));
    }

    @Test
    void aPort22LineDoesNotVouchForAnotherPort() throws Exception {
        PublicKey key = newKey();
        Path file = Files.write(dir.resolve("known_hosts"), List.of("10.0.0.5 " + PublicKeyEntry.toString(key)));
        KnownHosts hosts = new KnownHosts(file);

        assertTrue(hosts.pinned("10.0.0.5", 22).isPresent());
        assertEquals(Optional.empty(), hosts.pinned("10.0.0.5", 2222));
    }

    @Test
    void rereadsTheFileWhenItChangesOnDisk() throws Exception {
        Path file = dir.resolve("known_hosts");
        KnownHosts hosts = new KnownHosts(file);
        assertEquals(Optional.empty(), hosts.pinned("w", 22));

        PublicKey key = newKey();
        Files.write(file, List.of("# pinned by another process", "w " + PublicKeyEntry.toString(key)));
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));

        assertTrue(KeyUtils.compareKeys(key, hosts.pinned("w", 22).orElseThrow()));
    }

    @Test
    void pinKeepsCommentsAndOtherHosts() throws Exception {
        PublicKey old = newKey();
        PublicKey other = newKey();
        PublicKey fresh = newKey();
        Path file = Files.write(dir.resolve("known_hosts"), List.of("# mine",
            "[w]:2222 " + PublicKeyEntry.toString(old), "x " + PublicKeyEntry.toString(other)));
        KnownHosts hosts = new KnownHosts(file);

        hosts.pin("w", 2222, fresh);

        List<String> lines = Files.readAllLines(file);
        assertEquals(List.of("# mine", "x " + PublicKeyEntry.toString(other),
            "[w]:2222 " + PublicKeyEntry.toString(fresh)), lines);
        assertTrue(KeyUtils.compareKeys(fresh, hosts.pinned("w", 2222).orElseThrow()));
    }

    private static PublicKey newKey() throws Exception {
        return KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256).getPublic();
    }
}
