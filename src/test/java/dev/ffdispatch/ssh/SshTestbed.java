package dev.ffdispatch.ssh;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.ffdispatch.TestTimeouts;
import dev.ffdispatch.demo.LoopbackWorker;

/**
 * Test fixture: a client identity, a managed known_hosts file, loopback workers whose keys are
 * pinned, and started pools; everything is closed with the testbed.
 */
final class SshTestbed implements AutoCloseable {
    static final String USER = System.getProperty("user.name");

    final Path dir;
    final Path identity;
    final Path knownHosts;
    private final List<AutoCloseable> opened = new ArrayList<>();

    SshTestbed(Path dir) throws IOException {
        this.dir = dir;
        this.identity = dir.resolve("id_ed25519");
        this.knownHosts = dir.resolve("known_hosts");
        KeyFiles.ensureIdentity(identity);
    }

    /** A started worker whose host key is pinned. */
    LoopbackWorker worker(String name) throws IOException {
        LoopbackWorker worker = unpinnedWorker(name);
        new HostKeys(knownHosts).pin(target(worker), worker.hostKey());
        return worker;
    }

    LoopbackWorker unpinnedWorker(String name) throws IOException {
        LoopbackWorker worker = LoopbackWorker.start(name, dir.resolve("worker-" + name), KeyFiles.publicKey(identity));
        opened.add(worker);
        return worker;
    }

    static SshTarget target(LoopbackWorker worker) {
        return new SshTarget(worker.name(), "127.0.0.1", worker.port(), USER);
    }

    SshSettings settings() {
        return new SshSettings(knownHosts, List.of(identity), TestTimeouts.SHORT, TestTimeouts.SHORT,
            Duration.ofSeconds(30), Duration.ofMinutes(5), 4);
    }

    SshPool pool() throws IOException {
        return pool(settings());
    }

    SshPool pool(SshSettings settings) throws IOException {
        SshPool pool = new SshPool(settings);
        opened.add(0, pool);
        pool.start();
        return pool;
    }

    /** Closes this testbed when {@code other} closes. */
    void closeLater(SshTestbed other) {
        other.opened.add(this);
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable c : opened) {
            c.close();
        }
    }
}
