package dev.ffdispatch.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code ssh.*}: how the daemon logs in to workers.
 *
 * @param user               {@code ssh.user}: login user for hosts without their own
 * @param identities         {@code ssh.identities}: private key files tried in order
 * @param connectTimeout     {@code ssh.connect_timeout}: TCP connect, and then authentication, each
 * @param loginShellTimeout  {@code ssh.login_shell_timeout}: how long a worker's login shell may take to
 *                           start a command (the worker link once per session, each job's start)
 * @param heartbeat          {@code ssh.heartbeat}: keep-alive interval on pooled sessions
 * @param idleTimeout        {@code ssh.idle_timeout}: an unused pooled session is closed after this
 * @param maxSessionsPerHost {@code ssh.max_sessions_per_host}: pooled SSH connections per worker (1..64)
 */
public record SshConfig(String user, List<Path> identities, Duration connectTimeout, Duration loginShellTimeout,
                        Duration heartbeat,
                        Duration idleTimeout, int maxSessionsPerHost) {
    public SshConfig {
        identities = List.copyOf(identities);
    }
}
