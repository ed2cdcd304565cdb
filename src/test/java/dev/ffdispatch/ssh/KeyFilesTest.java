package dev.ffdispatch.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.List;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyFilesTest {
    @TempDir
    Path dir;

    @Test
    void createsAnOpenSshEd25519KeyPairReadableBySshKeygen() throws Exception {
        Path key = dir.resolve("sub/id_ed25519");

        KeyFiles.ensureIdentity(key);

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        assertTrue(Files.readString(key).startsWith("-----BEGIN OPENSSH PRIVATE KEY-----"));
        Process p = new ProcessBuilder("ssh-keygen", "-y", "-f", key.toString()).start();
        String derived = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        assertEquals(0, p.waitFor());
        assertTrue(derived.startsWith(PublicKeyEntry.toString(KeyFiles.publicKey(key)) + " "), derived);
        KeyPair loaded = KeyFiles.load(List.of(key)).get(0);
        assertTrue(KeyUtils.compareKeys(loaded.getPublic(), KeyFiles.publicKey(key)));
    }

    @Test
    void keepsAnExistingKey() throws Exception {
        Path key = dir.resolve("id");
        KeyFiles.ensureIdentity(key);
        String before = Files.readString(key);

        KeyFiles.ensureIdentity(key);

        assertEquals(before, Files.readString(key));
    }

    @Test
    void loadNamesAFileThatIsNotAKey() throws Exception {
        Path junk = Files.writeString(dir.resolve("junk"), "not a key\n");
        Files.setPosixFilePermissions(junk, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));

        IOException e = assertThrows(IOException.class, () -> KeyFiles.load(List.of(junk)));

        assertTrue(e.getMessage().contains(junk.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("ssh-keygen"), e.getMessage());
    }
}
