package dev.ffdispatch.ssh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The managed known_hosts file (OpenSSH format). Re-read when it changed on disk, because
 * {@code ffdispatch host trust} pins keys while the daemon runs.
 */
final class KnownHosts {
    private static final Logger LOG = LoggerFactory.getLogger(KnownHosts.class);

    private final Path file;
    private Snapshot snapshot = new Snapshot(null, -1, List.of());

    KnownHosts(Path file) {
        this.file = Objects.requireNonNull(file, "file");
    }

    Path file() {
        return file;
    }

    /** The pinned key of {@code address:port}, if any (first matching, non-revoked line). */
    synchronized Optional<PublicKey> pinned(String address, int port) throws IOException {
        for (KnownHostEntry entry : current()) {
            if (entry.getMarker() == null && entry.isHostMatch(address, port)) {
                return Optional.of(resolve(entry));
            }
        }
        return Optional.empty();
    }

    /**
     * True when a {@code @revoked} line that matches {@code address:port} (patterns such as
     * {@code *} included) holds {@code key}: such a key is never accepted, pinned or not (as OpenSSH).
     */
    synchronized boolean revoked(String address, int port, PublicKey key) throws IOException {
        for (KnownHostEntry entry : current()) {
            // OpenSSH matches "[addr]:port" against the patterns, so "*" covers every port; MINA's
            // isHostMatch gives a port-less pattern port 22 only: ask both ways.
            if ("revoked".equals(entry.getMarker())
                    && (entry.isHostMatch(address, port) || entry.isHostMatch(hostPattern(address, port), 22))
                    && KeyUtils.compareKeys(resolve(entry), key)) {
                return true;
            }
        }
        return false;
    }

    /** Replaces every line naming exactly this host and port by one line with {@code key}; atomic. */
    synchronized void pin(String address, int port, PublicKey key) throws IOException {
        String pattern = hostPattern(address, port);
        List<String> kept = new ArrayList<>();
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!namesExactly(line, pattern)) {
                    kept.add(line);
                }
            }
        }
        kept.add(pattern + " " + PublicKeyEntry.toString(key));
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, ".known_hosts", ".tmp");
        try {
            Files.write(temp, kept, StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
        snapshot = new Snapshot(null, -1, List.of());
    }

    /** The host column OpenSSH writes: {@code addr} on port 22, {@code [addr]:port} otherwise. */
    static String hostPattern(String address, int port) {
        return port == 22 ? address : "[" + address + "]:" + port;
    }

    private static boolean namesExactly(String line, String pattern) {
        String trimmed = line.trim();
        if (trimmed.isEmpty() || trimmed.startsWith("#") || trimmed.startsWith("@")) {
            return false;
        }
        String hosts = trimmed.split("\\s+", 2)[0];
        for (String host : hosts.split(",")) {
            if (host.equals(pattern)) {
                return true;
            }
        }
        return false;
    }

    private List<KnownHostEntry> current() throws IOException {
        FileTime modified;
        long size;
        try {
            modified = Files.getLastModifiedTime(file);
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        if (!modified.equals(snapshot.modified()) || size != snapshot.size()) {
            List<KnownHostEntry> entries = KnownHostEntry.readKnownHostEntries(file);
            snapshot = new Snapshot(modified, size, entries == null ? List.of() : List.copyOf(entries));
            LOG.debug("knownHosts(file={}) reloaded entries={}", file, snapshot.entries().size());
        }
        return snapshot.entries();
    }

    private PublicKey resolve(KnownHostEntry entry) throws IOException {
        try {
            return entry.getKeyEntry().resolvePublicKey(null, null, PublicKeyEntryResolver.FAILING);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IOException("known_hosts " + file + " has an unreadable key for " + entry.getConfigLine()
                + ": " + e.getMessage() + "; remove that line and run ffdispatch host trust <name>", e);
        }
    }

    private record Snapshot(FileTime modified, long size, List<KnownHostEntry> entries) {
    }
}
