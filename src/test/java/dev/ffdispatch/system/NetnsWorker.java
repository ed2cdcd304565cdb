package dev.ffdispatch.system;

import dev.ffdispatch.ssh.SshdProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One worker: a network namespace {@code ffd-wN} joined to the root namespace by a veth pair
 * ({@code ffd-wN-h} outside, {@code ffd-wN-n} inside, a /30 of their own), and a real OpenSSH
 * {@code sshd} inside it as PID 1 of a fresh PID namespace. Killing that sshd therefore ends
 * every process of the worker, like a crash; {@code pgrep -x ffmpeg} there counts only its own.
 * The worker shares the filesystem with the test (shared storage for free).
 */
final class NetnsWorker implements AutoCloseable {
    static final String PREFIX = "ffd-w";

    final String name;
    final String namespace;
    final String hostVeth;
    final String innerVeth;
    final String hostAddress;
    final String address;
    private final Path dir;
    private final Path authorizedKey;
    private SshdProcess sshd;

    /** @param index 1-based; the worker gets {@code <net>.(4*index-2)}, the host side {@code <net>.(4*index-3)} */
    NetnsWorker(int index, String net, Path dir, Path authorizedKey) {
        this.name = "w" + index;
        this.namespace = PREFIX + index;
        this.hostVeth = namespace + "-h";
        this.innerVeth = namespace + "-n";
        this.hostAddress = net + "." + (4 * index - 3);
        this.address = net + "." + (4 * index - 2);
        this.dir = dir;
        this.authorizedKey = authorizedKey;
    }

    /** Creates the namespace and its link, then starts sshd. */
    void create(Duration timeout) throws IOException, InterruptedException {
        Cmd.check("ip", "netns", "add", namespace);
        Cmd.check("ip", "link", "add", hostVeth, "type", "veth", "peer", "name", innerVeth);
        Cmd.check("ip", "link", "set", innerVeth, "netns", namespace);
        Cmd.check("ip", "addr", "add", hostAddress + "/30", "dev", hostVeth);
        Cmd.check("ip", "link", "set", hostVeth, "up");
        Cmd.check("ip", "netns", "exec", namespace, "ip", "addr", "add", address + "/30", "dev", innerVeth);
        Cmd.check("ip", "netns", "exec", namespace, "ip", "link", "set", innerVeth, "up");
        Cmd.check("ip", "netns", "exec", namespace, "ip", "link", "set", "lo", "up");
        Files.createDirectories(dir);
        newHostKey();
        writeConfig();
        startSshd(timeout);
    }

    /** A new ed25519 host key (the old one is gone); takes effect at the next {@link #startSshd}. */
    void newHostKey() throws IOException, InterruptedException {
        SshdProcess.newHostKey(hostKey(), name);
    }

    /** The SHA256 fingerprint of the current host key, as {@code ssh-keygen -l} prints it. */
    String hostKeyFingerprint() {
        return Cmd.check("ssh-keygen", "-l", "-f", hostKey() + ".pub").split(" ")[1];
    }

    private Path hostKey() {
        return dir.resolve("ssh_host_ed25519_key");
    }

    private void writeConfig() throws IOException {
        List<String> config = new ArrayList<>(SshdProcess.config(address, 22, hostKey(), authorizedKey));
        // the daemon opens several sessions at once during bursts; OpenSSH's default 10:30:100 drops some
        config.add("MaxStartups 100");
        Files.write(dir.resolve("sshd_config"), config, StandardCharsets.US_ASCII);
    }

    /**
     * Starts sshd as PID 1 of a new PID namespace inside the worker's network namespace and waits
     * until it listens. {@code --kill-child}: if our unshare dies, the worker dies with it.
     */
    void startSshd(Duration timeout) throws IOException, InterruptedException {
        sshd = SshdProcess.start(name + " (" + address + ":22)", List.of("ip", "netns", "exec", namespace, "unshare",
            "--pid", "--fork", "--kill-child", "--mount-proc", SshdProcess.SSHD.toString(), "-D", "-e", "-f",
            dir.resolve("sshd_config").toString()), timeout);
    }

    List<String> log() {
        return sshd == null ? List.of() : sshd.log();
    }

    /** The sshd that is PID 1 of the worker (the child of our unshare). */
    Optional<ProcessHandle> sshd() {
        return sshd == null ? Optional.empty()
            : sshd.process().toHandle().children().filter(p -> p.info().command().map(c -> c.endsWith("sshd")).orElse(false))
                .findFirst();
    }

    /**
     * Kills the worker's sshd with SIGTERM; as PID 1 of the worker's PID namespace its death ends
     * every process there (sessions, ffmpeg). Waits until the worker is empty.
     */
    void killSshd(Duration timeout) throws InterruptedException {
        ProcessHandle sshd = sshd().orElseThrow(() -> new IllegalStateException("sshd of " + name + " is not running"));
        Cmd.check("kill", "-TERM", Long.toString(sshd.pid()));
        if (!this.sshd.process().waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("sshd of " + name + " (pid " + sshd.pid() + ") still runs " + timeout
                + " after SIGTERM");
        }
    }

    void stopSshd() throws InterruptedException {
        if (sshd != null && sshd.process().isAlive()) {
            sshd.process().destroyForcibly(); // unshare --kill-child takes the worker's PID namespace with it
            sshd.process().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Takes the worker's link down from the root namespace's side: its packets go nowhere. */
    void linkDown() {
        Cmd.check("ip", "link", "set", hostVeth, "down");
    }

    void linkUp() {
        Cmd.check("ip", "link", "set", hostVeth, "up");
    }

    /** PIDs (as the root namespace sees them) of the ffmpeg processes running in this worker. */
    List<Long> ffmpegPids() {
        return pidsIn(namespace).stream().filter(pid -> "ffmpeg".equals(comm(pid))).toList();
    }

    static List<Long> pidsIn(String namespace) {
        Cmd.Result r = Cmd.run("ip", "netns", "pids", namespace);
        if (r.exitCode() != 0) {
            return List.of(); // the namespace is gone
        }
        return r.stdout().lines().filter(l -> !l.isBlank()).map(l -> Long.parseLong(l.strip())).toList();
    }

    static String comm(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "comm")).strip();
        } catch (IOException e) {
            return ""; // exited meanwhile
        }
    }

    @Override
    public void close() throws InterruptedException {
        stopSshd();
        removeNamespace(namespace);
    }

    /** Kills whatever runs in the namespace and removes it with its veth (ours or an earlier run's). */
    static void removeNamespace(String namespace) {
        for (long pid : pidsIn(namespace)) {
            Cmd.run("kill", "-KILL", Long.toString(pid));
        }
        Cmd.run("ip", "link", "del", namespace + "-h"); // deleting one end removes the pair
        Cmd.run("ip", "netns", "del", namespace);
    }
}
