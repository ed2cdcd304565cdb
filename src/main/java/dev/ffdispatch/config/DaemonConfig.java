package dev.ffdispatch.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code daemon.*}: the resident service's socket and who may use it.
 *
 * @param socket        {@code daemon.socket}: the Unix socket the shim connects to
 * @param socketGroup   {@code daemon.socket_group}: group owning the socket; "" = the daemon's group
 * @param allowedUsers  {@code daemon.allowed_users}: peer user names allowed besides the daemon's own user and root
 * @param allowedGroups {@code daemon.allowed_groups}: peer groups allowed; empty lists = only own user and root
 * @param shutdownGrace {@code daemon.shutdown_grace}: how long running jobs may finish on shutdown
 */
public record DaemonConfig(Path socket, String socketGroup, List<String> allowedUsers, List<String> allowedGroups,
                           Duration shutdownGrace) {
    public DaemonConfig {
        allowedUsers = List.copyOf(allowedUsers);
        allowedGroups = List.copyOf(allowedGroups);
    }
}
