package dev.ffdispatch.bench;

import dev.ffdispatch.ssh.KeyFiles;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.common.config.keys.PublicKeyEntry;

/**
 * The system's OpenSSH sshd on a free 127.0.0.1 port, configured like
 * {@code dev.ffdispatch.ssh.OpenSshServer} (the test fixture), plus the bench's extra lines.
 * Every local user may log in with the authorized keys, so one server serves root (login shell
 * bash) and {@link #BENCH_USER} (login shell /bin/sh) alike.
 */
final class Sshd implements AutoCloseable {
    static final Path SSHD = Path.of("/usr/sbin/sshd");
    /** The dedicated worker login bench/run creates, as the design recommends: shell /bin/sh. */
    static final String BENCH_USER = "ffdispatch-bench";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

    private final Process process;
    final int port;
    final PublicKey hostKey;
    final Path log;

    private Sshd(Process process, int port, PublicKey hostKey, Path log) {
        this.process = process;
        this.port = port;
        this.hostKey = hostKey;
        this.log = log;
    }

    /** {@code dir} must be readable by every login user: sshd reads authorized_keys as that user. */
    static Sshd start(Path dir, PublicKey authorized, List<String> extraConfig) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path hostKey = dir.resolve("ssh_host_ed25519_key");
        Procs.run(Duration.ofSeconds(10), "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", hostKey.toString());
        Path authorizedKeys = dir.resolve("authorized_keys");
        Files.writeString(authorizedKeys, PublicKeyEntry.toString(authorized) + "\n", StandardCharsets.US_ASCII);
        int port = freePort();
        List<String> config = new ArrayList<>(List.of("Port " + port, "ListenAddress 127.0.0.1",
            "HostKey " + hostKey, "AuthorizedKeysFile " + authorizedKeys, "StrictModes no", "UsePAM no",
            "PidFile none", "PubkeyAuthentication yes", "PasswordAuthentication no",
            "KbdInteractiveAuthentication no", "PermitRootLogin prohibit-password", "LogLevel INFO"));
        config.addAll(extraConfig);
        Path configFile = dir.resolve("sshd_config");
        Files.write(configFile, config, StandardCharsets.US_ASCII);
        Files.createDirectories(Path.of("/run/sshd")); // privilege separation (as root) insists on it
        Path log = dir.resolve("sshd.log");
        Process process = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", configFile.toString())
            .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Sshd sshd = new Sshd(process, port, KeyFiles.publicKey(hostKey), log);
        sshd.awaitListening();
        return sshd;
    }

    /** The bench user when it exists (bench/run creates it as root), else whoever runs the bench. */
    static String workerUser() {
        try {
            return Files.readAllLines(Path.of("/etc/passwd")).stream().anyMatch(l -> l.startsWith(BENCH_USER + ":"))
                ? BENCH_USER : System.getProperty("user.name");
        } catch (IOException e) {
            return System.getProperty("user.name");
        }
    }

    /** The OpenSSH client options for this server: no ~/.ssh/config, this key, this host key only. */
    List<String> sshOptions(Path identity, Path knownHosts) throws IOException {
        Files.writeString(knownHosts, "[127.0.0.1]:" + port + " " + PublicKeyEntry.toString(hostKey) + "\n",
            StandardCharsets.US_ASCII);
        return List.of("-F", "/dev/null", "-i", identity.toString(), "-p", String.valueOf(port),
            "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes", "-o", "UserKnownHostsFile=" + knownHosts);
    }

    private void awaitListening() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            if (Files.readString(log).contains("Server listening on")) {
                return;
            }
            Thread.sleep(20);
        }
        close();
        throw new IOException("sshd did not listen on port " + port + " within " + START_TIMEOUT + "; its log "
            + log + ": " + Files.readString(log));
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
