package dev.ffdispatch.ssh;

import dev.ffdispatch.TestTimeouts;
import dev.ffdispatch.demo.LoopbackWorker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Test fixture, the one way tests get SSH workers: a client identity, a managed known_hosts file,
 * workers whose host keys are pinned there (in-process MINA ones, {@link LoopbackWorker}, or the
 * system's OpenSSH, {@link OpenSshServer}), and started pools; all of it is closed with the
 * testbed. Register it with {@code @RegisterExtension} for a fresh directory per test, or make
 * one on a directory and close it yourself.
 */
public final class SshTestbed implements BeforeEachCallback, AfterEachCallback, AutoCloseable {
    public static final String USER = System.getProperty("user.name");

    private Path dir;
    private Path identity;
    private Path knownHosts;
    private Pins pins;
    private boolean ownsDir;
    private final List<AutoCloseable> opened = new ArrayList<>();

    /** For {@code @RegisterExtension}: each test gets its own directory, removed after it. */
    public SshTestbed() {
    }

    /** In {@code dir}, with its own identity and known_hosts file there. */
    public SshTestbed(Path dir) throws IOException {
        use(dir, dir.resolve("id_ed25519"), dir.resolve("known_hosts"));
    }

    /**
     * Workers in {@code dir} that accept {@code identity} (created when missing), their keys pinned
     * by {@code pins} (a daemon test pins where its daemon reads them: the known_hosts file, or the
     * shared table with PostgreSQL).
     */
    public SshTestbed(Path dir, Path identity, Path knownHosts, Pins pins) throws IOException {
        use(dir, identity, knownHosts);
        this.pins = pins;
    }

    /** Where a worker's host key is pinned. */
    @FunctionalInterface
    public interface Pins {
        void pin(SshTarget target, PublicKey key) throws IOException;
    }

    private void use(Path dir, Path identity, Path knownHosts) throws IOException {
        this.dir = dir;
        this.identity = identity;
        this.knownHosts = knownHosts;
        this.pins = (target, key) -> new HostKeys(knownHosts).pin(target, key);
        KeyFiles.ensureIdentity(identity);
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        Path fresh = Files.createTempDirectory("ffdispatch-ssh-");
        use(fresh, fresh.resolve("id_ed25519"), fresh.resolve("known_hosts"));
        ownsDir = true;
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        close();
        if (ownsDir) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    public Path dir() {
        return dir;
    }

    public Path identity() {
        return identity;
    }

    public Path knownHosts() {
        return knownHosts;
    }

    /** A started in-process worker whose host key is pinned. */
    public LoopbackWorker worker(String name) throws IOException {
        LoopbackWorker worker = unpinnedWorker(name);
        pins.pin(target(worker), worker.hostKey());
        return worker;
    }

    /** A started in-process worker nobody has pinned yet (what {@code host trust} meets). */
    public LoopbackWorker unpinnedWorker(String name) throws IOException {
        return unpinnedWorker(name, KeyFiles.publicKey(identity));
    }

    /** A started in-process worker, not pinned, that accepts only {@code authorized} (not this testbed's key). */
    public LoopbackWorker unpinnedWorker(String name, PublicKey authorized) throws IOException {
        LoopbackWorker worker = LoopbackWorker.start(name, dir.resolve("worker-" + name), authorized);
        opened.add(worker);
        return worker;
    }

    /**
     * The system's OpenSSH sshd on a loopback port, its host key pinned.
     *
     * @param extraConfig more sshd_config lines, such as {@code MaxSessions 2} or {@code TestLogins.slowLoginConfig}
     */
    public OpenSshServer openSsh(String name, List<String> extraConfig) throws IOException, InterruptedException {
        OpenSshServer sshd = unpinnedOpenSsh(name, extraConfig);
        pins.pin(sshd.target(name), sshd.hostKey());
        return sshd;
    }

    /** The system's OpenSSH sshd on a loopback port, its host key not pinned. */
    public OpenSshServer unpinnedOpenSsh(String name, List<String> extraConfig) throws IOException, InterruptedException {
        OpenSshServer sshd = OpenSshServer.start(dir.resolve("sshd-" + name), List.of(KeyFiles.publicKey(identity)),
            extraConfig, TestTimeouts.MEDIUM);
        opened.add(sshd);
        return sshd;
    }

    /** How the worker is reached: loopback, its port, as the user running the tests. */
    public static SshTarget target(LoopbackWorker worker) {
        return new SshTarget(worker.name(), "127.0.0.1", worker.port(), USER);
    }

    public SshSettings settings() {
        return new SshSettings(knownHosts, List.of(identity), TestTimeouts.SHORT, TestTimeouts.SHORT,
            Duration.ofSeconds(30), Duration.ofMinutes(5), 4);
    }

    /** A started pool with {@link #settings()}. */
    public SshPool pool() {
        return pool(settings());
    }

    public SshPool pool(SshSettings settings) {
        SshPool pool = new SshPool(settings);
        opened.add(0, pool);
        pool.start();
        return pool;
    }

    /** Closes this testbed when {@code other} closes. */
    void closeLater(SshTestbed other) {
        other.opened.add(this);
    }

    /** Closes the pools first, then the workers. */
    @Override
    public void close() throws Exception {
        for (AutoCloseable c : opened) {
            c.close();
        }
        opened.clear();
    }
}
