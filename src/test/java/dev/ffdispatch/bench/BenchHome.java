package dev.ffdispatch.bench;

import dev.ffdispatch.config.Config;
import dev.ffdispatch.config.ConfigLoader;
import dev.ffdispatch.daemon.DaemonProcess;
import dev.ffdispatch.ssh.HostKeys;
import dev.ffdispatch.ssh.SshTarget;
import dev.ffdispatch.store.NewHost;
import dev.ffdispatch.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One FFDISPATCH_HOME for a benchmark daemon: configured through the same environment overrides
 * an admin uses, hosts registered in its store and their host keys pinned, as {@code ffdispatch
 * host add} and {@code host trust} would. Every home shares the bench's one client key.
 */
final class BenchHome {
    static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    final Path dir;
    final Map<String, String> env;
    final Config config;

    BenchHome(Path dir, Path identity, Map<String, String> overrides) throws IOException {
        this.dir = Files.createDirectories(dir);
        Map<String, String> e = new HashMap<>();
        e.put("FFDISPATCH_HOME", dir.toString());
        e.put("FFDISPATCH_SSH_IDENTITIES", identity.toString());
        e.put("FFDISPATCH_LOG_LEVEL", "warn"); // a log line per job would cost the daemon more than we measure
        e.put("FFDISPATCH_DAEMON_SHUTDOWN_GRACE", "1s");
        e.put("FFDISPATCH_JOBS_KILL_GRACE", "1s");
        // Every call runs ffmpeg, and no worker runs a learn script while a table measures it (its
        // ffmpeg would count as foreign load); table 6 turns profiles on for its cached rows.
        e.put("FFDISPATCH_ROUTING_CAPABILITIES", "false");
        e.putAll(overrides);
        this.env = Map.copyOf(e);
        this.config = ConfigLoader.load(null, env).config();
    }

    Path socket() {
        return config.daemon().socket();
    }

    /** {@code ffdispatch daemon} on this home as its own process, started and answering. */
    DaemonProcess startDaemon(Path jar) throws IOException, InterruptedException {
        DaemonProcess daemon = new DaemonProcess(jar, dir, env);
        daemon.start(START_TIMEOUT);
        return daemon;
    }

    /** Registers a worker on 127.0.0.1:port whose host key is {@code hostKey}. */
    void addHost(String name, int port, String user, int weight, String ffmpeg, PublicKey hostKey) throws IOException {
        new HostKeys(config.state().knownHosts()).pin(new SshTarget(name, "127.0.0.1", port, user), hostKey);
        try (Store store = Store.open(config.state())) {
            store.addHost(new NewHost(name, "127.0.0.1", port, user, weight, null, ffmpeg, null, List.of(), null));
        }
    }
}
