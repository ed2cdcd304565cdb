package dev.ffdispatch.ssh;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How the daemon logs in to workers.
 *
 * @param knownHosts the pinned host keys (the managed known_hosts file, or the shared table); pinned by {@code ffdispatch host trust}
 * @param identities private key files (ed25519 or RSA, OpenSSH or PEM format, no passphrase)
 * @param connectTimeout TCP connect to a worker
 * @param authTimeout key exchange plus public-key login
 * @param heartbeat keep-alive interval on pooled sessions (also detects dead workers)
 * @param idleTimeout a pooled session unused this long is closed
 * @param maxSessionsPerHost SSH connections per worker at most (each carries several channels)
 */
public record SshSettings(KnownHostsSource knownHosts, List<Path> identities, Duration connectTimeout, Duration authTimeout,
                          Duration heartbeat, Duration idleTimeout, int maxSessionsPerHost) {

    /** Channels per session before another session is opened; under OpenSSH's MaxSessions default of 10. */
    public static final int CHANNELS_PER_SESSION = 8;

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(3);
    public static final Duration DEFAULT_AUTH_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(15);
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(5);
    public static final int DEFAULT_MAX_SESSIONS_PER_HOST = 4;

    /** Settings whose pinned keys are in the managed known_hosts {@code file}. */
    public SshSettings(Path knownHostsFile, List<Path> identities, Duration connectTimeout, Duration authTimeout,
                       Duration heartbeat, Duration idleTimeout, int maxSessionsPerHost) {
        this(KnownHostsSource.file(knownHostsFile), identities, connectTimeout, authTimeout, heartbeat, idleTimeout,
            maxSessionsPerHost);
    }

    public SshSettings {
        Objects.requireNonNull(knownHosts, "knownHosts");
        identities = List.copyOf(identities);
        if (identities.isEmpty()) {
            throw new IllegalArgumentException("identities is empty: give at least one private key file");
        }
        requirePositive("connectTimeout", connectTimeout);
        requirePositive("authTimeout", authTimeout);
        requirePositive("heartbeat", heartbeat);
        requirePositive("idleTimeout", idleTimeout);
        if (heartbeat.compareTo(idleTimeout) >= 0) {
            throw new IllegalArgumentException("heartbeat (" + heartbeat + ") must be shorter than idleTimeout ("
                + idleTimeout + ")");
        }
        if (maxSessionsPerHost < 1) {
            throw new IllegalArgumentException("maxSessionsPerHost (" + maxSessionsPerHost + ") must be at least 1");
        }
    }

    /** Settings with the default timeouts and limits. */
    public static SshSettings defaults(Path knownHosts, List<Path> identities) {
        return new SshSettings(knownHosts, identities, DEFAULT_CONNECT_TIMEOUT, DEFAULT_AUTH_TIMEOUT,
            DEFAULT_HEARTBEAT, DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_SESSIONS_PER_HOST);
    }

    private static void requirePositive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " (" + value + ") must be a positive duration");
        }
    }
}
