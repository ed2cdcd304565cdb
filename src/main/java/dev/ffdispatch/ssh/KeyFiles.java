package dev.ffdispatch.ssh;

import com.sun.security.auth.module.UnixSystem;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;
import org.apache.sshd.common.keyprovider.KeyPairProvider;

/** SSH identity files: creating the daemon's key pair, reading key files with clear errors. */
public final class KeyFiles {

    private KeyFiles() {
    }

    /**
     * Creates an ed25519 key pair at {@code file} (OpenSSH format, mode 0600) with the public key
     * in {@code file.pub}, unless {@code file} exists already.
     */
    public static void ensureIdentity(Path file) throws IOException {
        if (Files.exists(file)) {
            return;
        }
        KeyPair pair = generateEd25519();
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        String comment = "ffdispatch@" + hostName();
        Path temp = Files.createTempFile(parent, ".ffdispatch-key", ".tmp",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.TRUNCATE_EXISTING)) {
                OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(pair, comment, null, out);
            }
            Files.writeString(publicKeyFile(file), PublicKeyEntry.toString(pair.getPublic()) + " " + comment + "\n",
                StandardCharsets.US_ASCII);
            Files.move(temp, file);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot write the key pair to " + file + ": " + e.getMessage(), e);
        } catch (FileAlreadyExistsException e) {
            // Another process created it meanwhile: its key wins, ours is dropped.
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** The public key in {@code identity.pub} (the file ssh-keygen and {@link #ensureIdentity} write). */
    public static PublicKey publicKey(Path identity) throws IOException {
        Path pub = publicKeyFile(identity);
        try {
            String line = Files.readString(pub, StandardCharsets.US_ASCII).trim();
            return PublicKeyEntry.parsePublicKeyEntry(line).resolvePublicKey(null, null, PublicKeyEntryResolver.FAILING);
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException("cannot read the public key " + pub + " (" + e.getMessage()
                + "): recreate it with ssh-keygen -y -f " + identity + " > " + pub, e);
        }
    }

    /**
     * Loads the private keys (OpenSSH or PEM; ed25519, RSA, ECDSA) of all files, failing on the
     * first file that is missing, unreadable or holds no key.
     */
    static List<KeyPair> load(List<Path> identities) throws IOException {
        return loadAll(identities);
    }

    /**
     * Checks what the daemon will check before logging in with {@code identities}: each exists,
     * is private to its owner and holds an unencrypted private key.
     *
     * @throws IOException naming the first bad file and the fix
     */
    public static void verify(List<Path> identities) throws IOException {
        loadAll(identities);
    }

    private static List<KeyPair> loadAll(List<Path> identities) throws IOException {
        List<KeyPair> pairs = new ArrayList<>();
        for (Path file : identities) {
            if (!Files.isReadable(file)) {
                throw new IOException("identity file " + file + " is missing or unreadable: create it with "
                    + "ssh-keygen -t ed25519 -N '' -f " + file + " and add " + file + ".pub to the workers' "
                    + "authorized_keys");
            }
            checkPrivate(file);
            int before = pairs.size();
            try {
                new FileKeyPairProvider(file).loadKeys(null).forEach(pairs::add);
            } catch (RuntimeException e) {
                throw new IOException("identity file " + file + " could not be read (" + e.getMessage()
                    + "): it must be an unencrypted private key; create one with ssh-keygen -t ed25519 -N '' -f "
                    + file, e);
            }
            if (pairs.size() == before) {
                throw new IOException("identity file " + file + " holds no private key: create one with "
                    + "ssh-keygen -t ed25519 -N '' -f " + file);
            }
        }
        return pairs;
    }

    /**
     * Refuses a private key that its owner lets group or others read, as OpenSSH does ("UNPROTECTED
     * PRIVATE KEY FILE"): whoever can read it can log in to every worker.
     *
     * @throws IOException naming the file, its mode and the chmod that fixes it
     */
    public static void checkPrivate(Path file) throws IOException {
        int mode = (Integer) Files.getAttribute(file, "unix:mode");
        int owner = (Integer) Files.getAttribute(file, "unix:uid");
        if ((mode & 077) != 0 && owner == currentUid()) {
            throw new IOException(String.format("identity file %s has mode %04o: group or others can read it, so"
                + " anyone in them could log in to the workers; the key is not used. Fix: chmod 600 %s", file,
                mode & 07777, file));
        }
    }

    private static long currentUid() {
        return new UnixSystem().getUid();
    }

    static Path publicKeyFile(Path identity) {
        return identity.resolveSibling(identity.getFileName() + ".pub");
    }

    private static KeyPair generateEd25519() throws IOException {
        try {
            return KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot generate an ed25519 key (is net.i2p.crypto:eddsa on the class path?): "
                + e.getMessage(), e);
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
