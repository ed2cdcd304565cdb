package dev.ffdispatch.ssh;

import dev.ffdispatch.TestLogins;
import dev.ffdispatch.posix.NamedThreads;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.sshd.common.config.keys.PublicKeyEntry;

/**
 * Test fixture: one running OpenSSH {@code sshd -D -e}, however it is started (directly, or
 * inside a network namespace), with its log kept for assertion messages. The tests' sshd
 * configuration and host keys are made here too, so every OpenSSH worker of the tests (the
 * loopback {@link OpenSshServer} and the system suite's namespaced workers) is the same sshd.
 */
public final class SshdProcess implements AutoCloseable {
    public static final Path SSHD = Path.of("/usr/sbin/sshd");

    private final String name;
    private final Process process;
    private final List<String> log = new ArrayList<>();

    private SshdProcess(String name, Process process) {
        this.name = name;
        this.process = process;
    }

    /**
     * The sshd_config of a test worker: public-key login only, as any local user with a key in
     * {@code authorizedKeys} (root with a key too), no PAM, no PID file, logging to stderr.
     */
    public static List<String> config(String address, int port, Path hostKey, Path authorizedKeys) {
        return List.of(
            "ListenAddress " + address,
            "Port " + port,
            "HostKey " + hostKey,
            "AuthorizedKeysFile " + authorizedKeys,
            "StrictModes no",
            "UsePAM no",
            "PidFile none",
            "PubkeyAuthentication yes",
            "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            "PermitRootLogin prohibit-password",
            "LogLevel INFO");
    }

    /** A new ed25519 host key at {@code key} (and {@code key.pub}), replacing any there. */
    public static void newHostKey(Path key, String comment) throws IOException, InterruptedException {
        Files.deleteIfExists(key);
        Files.deleteIfExists(Path.of(key + ".pub"));
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", key.toString());
    }

    /** Writes {@code keys} as an authorized_keys file. */
    public static void writeAuthorizedKeys(Path file, List<PublicKey> keys) throws IOException {
        List<String> lines = new ArrayList<>();
        for (PublicKey key : keys) {
            lines.add(PublicKeyEntry.toString(key));
        }
        Files.write(file, lines, StandardCharsets.US_ASCII);
    }

    /**
     * Runs {@code command} (which ends in {@code sshd -D -e -f <config>}) and waits until sshd
     * listens; as root, first makes the directory privilege separation insists on.
     *
     * @throws IOException when it does not listen within {@code timeout}, with its log
     */
    public static SshdProcess start(String name, List<String> command, Duration timeout)
        throws IOException, InterruptedException {
        if (TestLogins.isRoot()) {
            Files.createDirectories(Path.of("/run/sshd"));
        }
        SshdProcess sshd = new SshdProcess(name, new ProcessBuilder(command).redirectErrorStream(true).start());
        sshd.awaitListening(timeout);
        return sshd;
    }

    /** The process started (for a namespaced sshd: the launcher whose child sshd is). */
    public Process process() {
        return process;
    }

    /** sshd's log lines so far. */
    public List<String> log() {
        synchronized (log) {
            return List.copyOf(log);
        }
    }

    /** Ends the process (SIGTERM, SIGKILL after 5 s) and waits for it. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private void awaitListening(Duration timeout) throws IOException, InterruptedException {
        CompletableFuture<Void> listening = new CompletableFuture<>();
        NamedThreads.start("sshd-" + name, () -> readLog(listening));
        try {
            listening.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            close();
            throw new IOException("sshd " + name + " did not start listening within " + timeout + "; its log: " + log(), e);
        }
    }

    private void readLog(CompletableFuture<Void> listening) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                synchronized (log) {
                    log.add(line);
                }
                if (line.contains("Server listening on")) {
                    listening.complete(null);
                }
            }
        } catch (IOException e) {
            // the process was stopped
        }
        listening.completeExceptionally(new IOException("sshd exited: " + log()));
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }
}
