package dev.ffdispatch.bench;

import dev.ffdispatch.TestLogins;
import dev.ffdispatch.ssh.OpenSshServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.List;
import org.apache.sshd.common.config.keys.PublicKeyEntry;

/**
 * The system's OpenSSH sshd on a free 127.0.0.1 port: the tests' {@link OpenSshServer} fixture,
 * plus what the bench's {@code ssh} client rows need. Workers log in as the tests' logins
 * ({@link TestLogins}): the /bin/sh user, and for the SSH exec table the slow-login user.
 */
final class Sshd implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

    private final OpenSshServer server;
    final int port;
    final PublicKey hostKey;

    private Sshd(OpenSshServer server) throws IOException {
        this.server = server;
        this.port = server.port();
        this.hostKey = server.hostKey();
    }

    /** {@code extraConfig}: more sshd_config lines, e.g. {@link TestLogins#slowLoginConfig}. */
    static Sshd start(Path dir, PublicKey authorized, List<String> extraConfig) throws IOException, InterruptedException {
        return new Sshd(OpenSshServer.start(dir, List.of(authorized), extraConfig, START_TIMEOUT));
    }

    /** The worker login: the tests' /bin/sh user (created as root when missing), else whoever runs the bench. */
    static String workerUser() {
        return TestLogins.workerUser();
    }

    /** The OpenSSH client options for this server: no ~/.ssh/config, this key, this host key only. */
    List<String> sshOptions(Path identity, Path knownHosts) throws IOException {
        Files.writeString(knownHosts, "[127.0.0.1]:" + port + " " + PublicKeyEntry.toString(hostKey) + "\n",
            StandardCharsets.US_ASCII);
        return List.of("-F", "/dev/null", "-i", identity.toString(), "-p", String.valueOf(port),
            "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes", "-o", "UserKnownHostsFile=" + knownHosts);
    }

    @Override
    public void close() throws InterruptedException {
        server.close();
    }
}
