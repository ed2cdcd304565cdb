package dev.ffdispatch.daemon;

import dev.ffdispatch.TestLogins;
import dev.ffdispatch.TestTimeouts;
import dev.ffdispatch.config.Config;
import dev.ffdispatch.config.ConfigLoader;
import dev.ffdispatch.demo.LoopbackWorker;
import dev.ffdispatch.protocol.JobRequest;
import dev.ffdispatch.protocol.Tool;
import dev.ffdispatch.shim.ShimClient;
import dev.ffdispatch.shim.ShimProcess;
import dev.ffdispatch.ssh.HostKeys;
import dev.ffdispatch.ssh.OpenSshServer;
import dev.ffdispatch.ssh.SshTestbed;
import dev.ffdispatch.ssh.SshTarget;
import dev.ffdispatch.store.NewHost;
import dev.ffdispatch.store.Store;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A real daemon in this JVM with real in-process SSH workers on loopback, configured through the
 * same loader and environment overrides an admin uses, with fast polling for tests.
 */
final class DaemonHarness implements AutoCloseable {
    static final String FFMPEG = "/usr/bin/ffmpeg";

    /** Polling fast enough to see a host die and come back within a test. */
    static final Map<String, String> FAST_POLL = Map.of("FFDISPATCH_POLL_INTERVAL", "500ms",
        "FFDISPATCH_POLL_TIMEOUT", "450ms", "FFDISPATCH_POLL_BACKOFF_MAX", "1s");
    /** The daemon's own /metrics endpoint on a free loopback port, for tests that read what it reports. */
    static final Map<String, String> METRICS = Map.of("FFDISPATCH_METRICS_LISTEN", "127.0.0.1:0");

    final Path home;
    final Config config;
    final Map<String, LoopbackWorker> workers = new LinkedHashMap<>();
    /** The workers: they accept the daemon's identity and are pinned in its known_hosts. */
    private final SshTestbed ssh;
    private Daemon daemon;

    DaemonHarness(Path home, Map<String, String> extraEnv) throws Exception {
        this.home = home;
        Map<String, String> env = new HashMap<>();
        env.put("FFDISPATCH_HOME", home.toString());
        // One probe at start, then none: a test about dispatch must not be disturbed by a probe
        // timing out on a loaded 2-core machine. Health tests pass FAST_POLL.
        env.put("FFDISPATCH_POLL_INTERVAL", "10m");
        env.put("FFDISPATCH_POLL_TIMEOUT", "10s");
        env.put("FFDISPATCH_POLL_BACKOFF_MAX", "10m");
        env.put("FFDISPATCH_JOBS_KILL_GRACE", "1s");
        env.put("FFDISPATCH_DAEMON_SHUTDOWN_GRACE", "1s");
        env.putAll(extraEnv);
        this.config = ConfigLoader.load(null, env).config();
        // Keys are pinned where this daemon reads them: the known_hosts file, or the shared table with PostgreSQL.
        this.ssh = new SshTestbed(home, config.ssh().identities().get(0), config.state().knownHosts(), (target, key) -> {
            try (Store store = Store.open(config.state())) {
                new HostKeys(store.knownHosts(config.state().knownHosts())).pin(target, key);
            }
        });
    }

    /** Starts a loopback worker and registers it as a host (before or after the daemon starts). */
    LoopbackWorker addWorker(String name, int weight, String ffmpegPath) throws Exception {
        return addHost(ssh.worker(name), weight, ffmpegPath);
    }

    /** A loopback worker registered as a host whose key nobody pinned (what {@code host trust} is for). */
    LoopbackWorker addUnpinnedWorker(String name) throws Exception {
        return addHost(ssh.unpinnedWorker(name), 1, null);
    }

    private LoopbackWorker addHost(LoopbackWorker worker, int weight, String ffmpegPath) {
        workers.put(worker.name(), worker);
        addHost(SshTestbed.target(worker), weight, ffmpegPath);
        return worker;
    }

    private void addHost(SshTarget target, int weight, String ffmpegPath) {
        try (Store store = Store.open(config.state())) {
            store.addHost(new NewHost(target.name(), target.address(), target.port(), target.user(), weight, null,
                ffmpegPath, null, List.of(), null));
        }
    }

    /**
     * Starts the system's OpenSSH sshd on a loopback port and registers it as a host that logs in
     * as {@link TestLogins#workerUser()}; that user may read this harness's home (jobs run there).
     */
    OpenSshServer addOpenSshWorker(String name, int weight, String ffmpegPath) throws Exception {
        TestLogins.shareWithLogins(home);
        OpenSshServer sshd = ssh.openSsh(name, List.of());
        addHost(sshd.target(name), weight, ffmpegPath);
        return sshd;
    }

    /**
     * Like {@link #addOpenSshWorker}, but the worker logs in as {@link TestLogins#slowUser()}, whose
     * login shell sleeps {@code loginDelay} before it runs anything (each command sshd starts pays
     * it, as on a worker whose ~/.bashrc runs pyenv). Root only: see {@link TestLogins#slowLoginUnavailable()}.
     */
    OpenSshServer addSlowOpenSshWorker(String name, int weight, String ffmpegPath, Duration loginDelay) throws Exception {
        TestLogins.shareWithLogins(home);
        OpenSshServer sshd = ssh.openSsh(name, List.of(TestLogins.slowLoginConfig(loginDelay)));
        addHost(sshd.target(name, TestLogins.slowUser()), weight, ffmpegPath);
        return sshd;
    }

    Daemon start() throws IOException {
        daemon = Daemon.start(config);
        return daemon;
    }

    Daemon daemon() {
        return daemon;
    }

    /** Stops the daemon and starts a new one on the same home, workers and database. */
    Daemon restartDaemon() throws IOException {
        daemon.close();
        daemon = Daemon.start(config);
        return daemon;
    }

    Path socket() {
        return config.daemon().socket();
    }

    /**
     * Waits until every named host is up and the balancer may choose it (the poller's state
     * changes first, the balancer hears of it a moment later), and until its ffmpeg's capability
     * profile and this machine's are known: a worker that comes up runs a learn script, whose
     * ffmpeg processes a test counting the worker's must not see.
     */
    void awaitUp(String... names) throws InterruptedException {
        awaitState("UP", names);
        long deadline = System.nanoTime() + TestTimeouts.MEDIUM.toNanos();
        while (!List.of(names).stream().allMatch(name -> host(name).map(h -> Boolean.TRUE.equals(h.eligible())).orElse(false))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("hosts " + List.of(names) + " up but not eligible in time: " + status().hosts());
            }
            Thread.sleep(20);
        }
        awaitProfiles(names);
    }

    /**
     * Waits until status shows the capability profile of this machine's ffmpeg and of every named
     * host's (nothing to wait for when {@code routing.capabilities} is off). A profile is shown once
     * its learn run has ended.
     */
    void awaitProfiles(String... names) throws InterruptedException {
        long deadline = System.nanoTime() + TestTimeouts.MEDIUM.toNanos();
        while (true) {
            StatusReply status = status();
            if (status.local() == null) {
                return;
            }
            boolean all = status.local().profile() != null;
            for (String name : names) {
                all &= status.hosts().stream().anyMatch(h -> h.name().equals(name) && h.profile() != null);
            }
            if (all) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no capability profile of " + List.of(names) + " or this machine in time: "
                    + status);
            }
            Thread.sleep(20);
        }
    }

    void awaitState(String state, String... names) throws InterruptedException {
        long deadline = System.nanoTime() + TestTimeouts.MEDIUM.toNanos();
        while (System.nanoTime() < deadline) {
            boolean all = true;
            for (String name : names) {
                all &= host(name).map(h -> state.equalsIgnoreCase(h.state())).orElse(false);
            }
            if (all) {
                return;
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("hosts " + List.of(names) + " not " + state + " in time: " + status().hosts());
    }

    /** What the daemon tells {@code ffdispatch status}, over its socket as the CLI asks. */
    StatusReply status() {
        StatusClient.Answer answer = StatusClient.ask(socket(), TestTimeouts.SHORT);
        if (!answer.up()) {
            throw new IllegalStateException("the daemon did not answer STATUS: " + answer.problem());
        }
        return answer.reply();
    }

    /** What the daemon's /metrics endpoint reports now (the harness needs {@link #METRICS} in its environment). */
    String scrape() throws IOException, InterruptedException {
        String endpoint = status().daemon().metrics();
        if (endpoint == null) {
            throw new IllegalStateException("the daemon serves no /metrics: add DaemonHarness.METRICS to the environment");
        }
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(endpoint))
            .timeout(TestTimeouts.SHORT).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + endpoint + " answered " + response.statusCode());
        }
        return response.body();
    }

    /** The host called {@code name} as status shows it, if the daemon knows it. */
    Optional<StatusReply.HostStatus> host(String name) {
        return status().hosts().stream().filter(h -> h.name().equals(name)).findFirst();
    }

    /** A real shim client as a child process. */
    ShimProcess shim(ShimClient client, Path cwd, String argv0, List<String> args) throws IOException {
        return ShimProcess.client(client, socket(), cwd, argv0, args, Map.of());
    }

    /** A job through the socket from this JVM: no JVM start per call, for many-call tests. */
    SocketJobs.Result call(Tool tool, List<byte[]> args, byte[] cwd) throws IOException {
        return SocketJobs.call(socket(), new JobRequest(tool, args, cwd, Map.of()), TestTimeouts.LONG);
    }

    static List<byte[]> bytes(String... args) {
        return SocketJobs.bytes(List.of(args));
    }

    @Override
    public void close() {
        if (daemon != null) {
            daemon.close();
        }
        try {
            ssh.close();
        } catch (Exception e) {
            throw new IllegalStateException("closing the test workers failed: " + e, e);
        }
    }

    static Duration timeout() {
        return TestTimeouts.MEDIUM;
    }
}
