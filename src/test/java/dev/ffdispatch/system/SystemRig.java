package dev.ffdispatch.system;

import dev.ffdispatch.TestLogins;
import dev.ffdispatch.TestTimeouts;
import dev.ffdispatch.daemon.DaemonProcess;
import dev.ffdispatch.daemon.StatusReply;
import dev.ffdispatch.shim.ShimProcess;
import dev.ffdispatch.store.HostEvent;
import dev.ffdispatch.store.JobRecord;
import dev.ffdispatch.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Everything a system scenario runs against: three {@link NetnsWorker}s registered with the real
 * CLI, the real daemon process, and the real shim launchers. Leftovers of a crashed earlier run
 * (namespaces, veths, their processes) are removed first; {@link #close()} removes ours.
 */
final class SystemRig implements AutoCloseable {
    /**
     * The first three octets of the /24 the workers' links use. TEST-NET-2 by default: reserved
     * for documentation, so routed nowhere (this CI machine itself sits in TEST-NET-1).
     */
    static final String NET = System.getProperty("ffdispatch.system.net", "198.51.100");
    static final int WORKERS = 3;
    static final Duration SETUP = TestTimeouts.scaled(Duration.ofSeconds(20));
    static final String FFMPEG = "/usr/bin/ffmpeg";
    static final String FFPROBE = "/usr/bin/ffprobe";

    final Path home;
    final Path work;
    final Path jar;
    final Path bin;
    final Map<String, NetnsWorker> workers = new LinkedHashMap<>();
    final DaemonProcess daemon;
    private final Map<String, String> env;

    private SystemRig(Path root) {
        this.home = root.resolve("home");
        this.work = root.resolve("work");
        this.jar = jar();
        this.bin = jar.getParent().getParent().resolve("bin");
        this.env = Map.of("FFDISPATCH_HOME", home.toString());
        this.daemon = new DaemonProcess(jar, home, env);
    }

    /**
     * Checks root and {@code ip netns}, removes leftovers, creates the workers, starts the daemon
     * and registers and trusts the workers through the CLI. Fails (never skips) when the machine
     * cannot run the suite.
     */
    static SystemRig start(Path root, Map<String, Integer> weights) throws Exception {
        SystemPreconditions.require();
        removeLeftovers();
        SystemPreconditions.requireFreeNet(NET);
        SystemRig rig = new SystemRig(root);
        try {
            rig.setUp(weights);
        } catch (Exception | Error e) {
            rig.close();
            throw e;
        }
        return rig;
    }

    private void setUp(Map<String, Integer> weights) throws Exception {
        // The workers log in as the dedicated /bin/sh user, never as root (whose ~/.bashrc would
        // run for every probe): it reads the authorized key in home and runs jobs in work.
        String login = TestLogins.workerUser();
        TestLogins.shareWithLogins(home);
        TestLogins.shareWithLogins(work);
        Path identity = home.resolve("id_ed25519");
        Cmd.check("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "ffdispatch-system", "-f", identity.toString());
        Files.writeString(home.resolve("ffdispatch.yml"), """
            # Small timeouts so each fault shows within seconds (times ffdispatch.test.timeoutScale).
            # Not 1s/900ms: with 20 shim JVMs starting on 2 cores, probes took over 900 ms and all
            # three workers went down at once.
            poll:
              interval: %dms
              timeout: %dms
              backoff_max: %dms
            ssh:
              user: %s
              connect_timeout: %dms
              heartbeat: 2s
              idle_timeout: 10s
            jobs:
              kill_grace: 2s
            daemon:
              shutdown_grace: 2s
            local:
              fallback: false
            log:
              level: info
            """.formatted(ms(2000), ms(1500), ms(4000), login, ms(2000)));
        for (int i = 1; i <= WORKERS; i++) {
            NetnsWorker worker = new NetnsWorker(i, NET, home.resolve("workers").resolve("w" + i),
                Path.of(identity + ".pub"));
            workers.put(worker.name, worker);
            worker.create(SETUP);
        }
        daemon.start(SETUP);
        for (NetnsWorker w : workers.values()) {
            cli("host", "add", w.address, "--name", w.name, "--weight", Integer.toString(weights.getOrDefault(w.name, 1)),
                "--user", login, "--ffmpeg", FFMPEG, "--ffprobe", FFPROBE);
            cli("host", "trust", w.name, "--yes");
        }
        awaitAllUp(SETUP);
    }

    private static long ms(long millis) {
        return TestTimeouts.scaled(Duration.ofMillis(millis)).toMillis();
    }

    NetnsWorker worker(String name) {
        return workers.get(name);
    }

    /** Runs the real admin CLI; fails on a non-zero exit. Returns stdout. */
    String cli(String... args) {
        List<String> command = new ArrayList<>(List.of(DaemonProcess.javaBinary(), "-jar", jar.toString()));
        command.addAll(List.of(args));
        return Cmd.run(env, TestTimeouts.MEDIUM, command.toArray(String[]::new)).orThrow().stdout();
    }

    ShimProcess ffmpeg(List<String> args) throws IOException {
        return ShimProcess.launcher(bin.resolve("ffmpeg"), daemon.socket(), work, args);
    }

    ShimProcess ffprobe(List<String> args) throws IOException {
        return ShimProcess.launcher(bin.resolve("ffprobe"), daemon.socket(), work, args);
    }

    /**
     * A transcode that runs until killed or for {@code seconds}: a synthetic source read at its
     * own frame rate ({@code -re}), so a job costs the 2-core machine almost nothing while it runs.
     */
    static List<String> longTranscode(int seconds) {
        return List.of("-hide_banner", "-nostdin", "-re", "-f", "lavfi", "-i", "testsrc=size=160x120:rate=10",
            "-t", Integer.toString(seconds), "-c:v", "mpeg4", "-f", "null", "-");
    }

    /** What ffmpeg writes to stderr once it has opened its output: the job runs on the worker. */
    static final String RUNNING_MARK = "Output #0";

    void awaitAllUp(Duration timeout) throws Exception {
        for (String name : workers.keySet()) {
            awaitState(name, "up", timeout);
        }
    }

    /** Waits until the daemon reports the host in {@code state}; returns how long that took. */
    Duration awaitState(String host, String state, Duration timeout) throws Exception {
        long start = System.nanoTime();
        await(host + " " + state, timeout, () -> state.equals(stateOf(host)));
        return Duration.ofNanos(System.nanoTime() - start);
    }

    String stateOf(String host) {
        try {
            return daemon.host(host).map(StatusReply.HostStatus::state).orElse("absent");
        } catch (IOException e) {
            return "daemon unreachable: " + e.getMessage();
        }
    }

    /** Every ffmpeg process on every worker, by worker. */
    Map<String, List<Long>> ffmpegOnWorkers() {
        Map<String, List<Long>> all = new LinkedHashMap<>();
        workers.forEach((name, w) -> all.put(name, w.ffmpegPids()));
        return all;
    }

    int ffmpegCount() {
        return ffmpegOnWorkers().values().stream().mapToInt(List::size).sum();
    }

    /** The job history, newest first (the store the daemon writes, opened beside it: WAL readers never block it). */
    List<JobRecord> jobs(int limit) {
        try (Store store = Store.open(home.resolve("ffdispatch.db"))) {
            return store.jobs(limit, null, false);
        }
    }

    List<HostEvent> hostEvents(String host) {
        try (Store store = Store.open(home.resolve("ffdispatch.db"))) {
            return store.hostEvents(host, 1000);
        }
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached within " + timeout + ": " + what);
            }
            Thread.sleep(100);
        }
    }

    static void report(String scenario, String text) {
        System.out.println("[system] " + scenario + ": " + text);
        System.out.flush();
    }

    /** Namespaces named ffd-w* (with their veths and processes) left by an earlier run that crashed. */
    static void removeLeftovers() {
        String list = Cmd.check("ip", "netns", "list");
        for (String line : list.lines().toList()) {
            String ns = line.split(" ")[0];
            if (ns.startsWith(NetnsWorker.PREFIX)) {
                report("setup", "removing leftover namespace " + ns + " of an earlier run");
                NetnsWorker.removeNamespace(ns);
            }
        }
        for (String line : Cmd.check("ip", "-o", "link", "show").lines().toList()) {
            String[] parts = line.split(":\\s+");
            String link = parts.length > 1 ? parts[1].split("@")[0] : "";
            if (link.startsWith(NetnsWorker.PREFIX)) {
                report("setup", "removing leftover link " + link);
                Cmd.run("ip", "link", "del", link);
            }
        }
    }

    /** The daemon's logs outlive the temporary home: target/system-logs/<home's parent>/. */
    private void keepLogs() throws IOException {
        Path dest = jar.getParent().resolve("system-logs").resolve(home.getParent().getFileName().toString());
        Files.createDirectories(dest);
        try (var files = Files.list(home)) {
            for (Path log : files.filter(f -> f.getFileName().toString().endsWith(".log")).toList()) {
                Files.copy(log, dest.resolve(log.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        report("logs", "daemon logs kept in " + dest);
    }

    private static Path jar() {
        String property = System.getProperty("ffdispatch.jar");
        if (property == null || !Files.isRegularFile(Path.of(property))) {
            throw new AssertionError("system property ffdispatch.jar (" + property + ") does not name the packaged jar;"
                + " run the suite through failsafe: mvn -B verify -Dit.test='*SystemIT'");
        }
        return Path.of(property).toAbsolutePath();
    }

    @Override
    public void close() throws Exception {
        List<Exception> failures = new ArrayList<>();
        try {
            daemon.close();
            keepLogs();
        } catch (Exception e) {
            failures.add(e);
        }
        for (NetnsWorker w : workers.values()) {
            try {
                w.close();
            } catch (Exception e) {
                failures.add(e);
            }
        }
        removeLeftovers();
        if (!failures.isEmpty()) {
            Exception first = failures.get(0);
            failures.stream().skip(1).forEach(first::addSuppressed);
            throw first;
        }
    }
}
