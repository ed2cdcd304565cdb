package dev.ffdispatch.ssh;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import dev.ffdispatch.TestLogins;

/**
 * Test fixture: the system's OpenSSH {@code sshd} on a free 127.0.0.1 port, as the current user
 * (root included: then privilege separation is on and needs /run/sshd). Its host key comes from
 * ssh-keygen in {@code dir}; only the given client keys may log in, as any local user (tests log
 * in as {@link TestLogins#workerUser()} or {@link TestLogins#slowUser()}, never as root).
 */
public final class OpenSshServer implements AutoCloseable {
    private final SshdProcess sshd;
    private final int port;
    private final Path hostKey;

    private OpenSshServer(SshdProcess sshd, int port, Path hostKey) {
        this.sshd = sshd;
        this.port = port;
        this.hostKey = hostKey;
    }

    /**
     * Starts sshd with extra sshd_config lines (e.g. {@link TestLogins#slowLoginConfig}) and waits
     * until it listens. {@code dir} is made readable to the logins: sshd reads authorized_keys as
     * the user who logs in.
     */
    public static OpenSshServer start(Path dir, List<PublicKey> authorized, List<String> extraConfig, Duration timeout)
        throws IOException, InterruptedException {
        TestLogins.shareWithLogins(dir);
        Path hostKey = dir.resolve("ssh_host_ed25519_key");
        SshdProcess.newHostKey(hostKey, "loopback");
        Path authorizedKeys = dir.resolve("authorized_keys");
        SshdProcess.writeAuthorizedKeys(authorizedKeys, authorized);
        int port = freePort();
        List<String> config = new ArrayList<>(SshdProcess.config("127.0.0.1", port, hostKey, authorizedKeys));
        config.addAll(extraConfig);
        Path configFile = dir.resolve("sshd_config");
        Files.write(configFile, config, StandardCharsets.US_ASCII);
        SshdProcess sshd = SshdProcess.start("127.0.0.1:" + port,
            List.of(SshdProcess.SSHD.toString(), "-D", "-e", "-f", configFile.toString()), timeout);
        return new OpenSshServer(sshd, port, hostKey);
    }

    public int port() {
        return port;
    }

    /** This server as a host that logs in as {@link TestLogins#workerUser()}. */
    public SshTarget target(String name) {
        return target(name, TestLogins.workerUser());
    }

    public SshTarget target(String name, String user) {
        return new SshTarget(name, "127.0.0.1", port, user);
    }

    public PublicKey hostKey() throws IOException {
        return KeyFiles.publicKey(hostKey);
    }

    /** Every process below this sshd (its sessions, their shells and commands). */
    public Stream<ProcessHandle> processes() {
        return sshd.process().descendants();
    }

    /** sshd's log lines so far (for assertion messages). */
    public List<String> log() {
        return sshd.log();
    }

    @Override
    public void close() throws InterruptedException {
        sshd.close();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
