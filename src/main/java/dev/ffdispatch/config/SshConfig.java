package dev.ffdispatch.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code ssh.*}: how the daemon logs in to workers.
 *
 * @param user               {@code ssh.user}: login user for hosts without their own
 * @param identities         {@code ssh.identities}: private key files tried in order
 * @param connectTimeout     {@code ssh.connect_timeout}: TCP connect plus authentication
 * @param heartbeat          {@code ssh.heartbeat}: keep-alive interval on pooled sessions
 * @param idleTimeout        {@code ssh.idle_timeout}: an unused pooled session is closed after this
 * @param maxSessionsPerHost {@code ssh.max_sessions_per_host}: pooled SSH connections per worker (1..64)
 */
public record SshConfig(String user, List<Path> identities, Duration connectTimeout, Duration heartbeat,
                        Duration idleTimeout, int maxSessionsPerHost) {
    public SshConfig {
        identities = List.copyOf(identities);
    }
}
