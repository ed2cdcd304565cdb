package dev.ffdispatch.ssh;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.Objects;
import java.util.Optional;

import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;

/**
 * Pinned worker host keys (OpenSSH known_hosts entries) from a {@link KnownHostsSource}: the
 * managed file, or the table shared by several servers.
 */
final class KnownHosts {
    private final KnownHostsSource source;

    KnownHosts(Path file) {
        this(KnownHostsSource.file(file));
    }

    KnownHosts(KnownHostsSource source) {
        this.source = Objects.requireNonNull(source, "source");
    }

    /** Where the keys are, for messages. */
    String where() {
        return source.describe();
    }

    /** The pinned key of {@code address:port}, if any (first matching, non-revoked line). */
    Optional<PublicKey> pinned(String address, int port) throws IOException {
        for (KnownHostEntry entry : source.entries()) {
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
    boolean revoked(String address, int port, PublicKey key) throws IOException {
        for (KnownHostEntry entry : source.entries()) {
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

    /** Replaces every line naming exactly this host and port by one line with {@code key}. */
    void pin(String address, int port, PublicKey key) throws IOException {
        String pattern = hostPattern(address, port);
        source.pin(pattern, pattern + " " + PublicKeyEntry.toString(key));
    }

    /** The host column OpenSSH writes: {@code addr} on port 22, {@code [addr]:port} otherwise. */
    static String hostPattern(String address, int port) {
        return port == 22 ? address : "[" + address + "]:" + port;
    }

    static boolean namesExactly(String line, String pattern) {
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

    private PublicKey resolve(KnownHostEntry entry) throws IOException {
        try {
            return entry.getKeyEntry().resolvePublicKey(null, null, PublicKeyEntryResolver.FAILING);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IOException("known_hosts " + where() + " has an unreadable key for " + entry.getConfigLine()
                + ": " + e.getMessage() + "; remove that line and run ffdispatch host trust <name>", e);
        }
    }
}
