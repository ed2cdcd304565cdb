package dev.ffdispatch.ssh;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.ffdispatch.TestLogins;
import org.apache.sshd.common.config.keys.PublicKeyEntry;

/**
 * Test fixture: the system's OpenSSH {@code sshd} on a free 127.0.0.1 port, as the current user
 * (root included: then privilege separation is on and needs /run/sshd). Its host key comes from
 * ssh-keygen in {@code dir}; only the given client keys may log in, as any local user (tests log
 * in as {@link TestLogins#workerUser()} or {@link TestLogins#slowUser()}, never as root).
 */
public final class OpenSshServer implements AutoCloseable {
    static final Path SSHD = Path.of("/usr/sbin/sshd");

    private final Process process;
    private final int port;
    private final Path hostKey;
    private final List<String> log = new ArrayList<>();

    private OpenSshServer(Process process, int port, Path hostKey) {
        this.process = process;
        this.port = port;
        this.hostKey = hostKey;
    }

    /**
     * Starts sshd and waits until it listens.
     *
     * @param maxSessions sshd's MaxSessions (channels per connection), 0 for OpenSSH's default
     */
    public static OpenSshServer start(Path dir, List<PublicKey> authorized, int maxSessions, Duration timeout)
        throws IOException, InterruptedException {
        return start(dir, authorized, maxSessions > 0 ? List.of("MaxSessions " + maxSessions) : List.of(), timeout);
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
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", hostKey.toString());
        Path authorizedKeys = dir.resolve("authorized_keys");
        List<String> keys = new ArrayList<>();
        for (PublicKey key : authorized) {
            keys.add(PublicKeyEntry.toString(key));
        }
        Files.write(authorizedKeys, keys, StandardCharsets.US_ASCII);
        int port = freePort();
        List<String> config = new ArrayList<>(List.of(
            "Port " + port,
            "ListenAddress 127.0.0.1",
            "HostKey " + hostKey,
            "AuthorizedKeysFile " + authorizedKeys,
            "StrictModes no",
            "UsePAM no",
            "PidFile none",
            "PubkeyAuthentication yes",
            "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            "PermitRootLogin prohibit-password",
            "LogLevel INFO"));
        config.addAll(extraConfig);
        Path configFile = dir.resolve("sshd_config");
        Files.write(configFile, config, StandardCharsets.US_ASCII);
        if (isRoot()) {
            // As root sshd separates privileges and insists on this (empty) directory.
            Files.createDirectories(Path.of("/run/sshd"));
        }
        Process process = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", configFile.toString())
            .redirectErrorStream(true).start();
        OpenSshServer server = new OpenSshServer(process, port, hostKey);
        server.awaitListening(timeout);
        return server;
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

    /** sshd's log lines so far (for assertion messages). */
    public synchronized List<String> log() {
        return List.copyOf(log);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    private void awaitListening(Duration timeout) throws IOException, InterruptedException {
        CompletableFuture<Void> listening = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    synchronized (this) {
                        log.add(line);
                    }
                    if (line.contains("Server listening on")) {
                        listening.complete(null);
                    }
                }
            } catch (IOException e) {
                listening.completeExceptionally(e);
            }
            listening.completeExceptionally(new IOException("sshd exited: " + log()));
        }, "sshd-log");
        reader.setDaemon(true);
        reader.start();
        try {
            listening.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            close();
            throw new IOException("sshd did not start listening on port " + port + " within " + timeout
                + "; its log: " + log(), e);
        }
    }

    private static boolean isRoot() {
        return TestLogins.isRoot();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }
}
