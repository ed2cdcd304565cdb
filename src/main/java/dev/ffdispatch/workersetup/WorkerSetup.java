package dev.ffdispatch.workersetup;

import dev.ffdispatch.config.Config;
import dev.ffdispatch.doctor.Check;
import dev.ffdispatch.doctor.HostChecks;
import dev.ffdispatch.ssh.HostKeys;
import dev.ffdispatch.ssh.KeyFiles;
import dev.ffdispatch.ssh.KnownHostsSource;
import dev.ffdispatch.ssh.RemoteCommandRunner;
import dev.ffdispatch.ssh.SshPool;
import dev.ffdispatch.ssh.SshSettings;
import dev.ffdispatch.ssh.SshTarget;
import dev.ffdispatch.ssh.WorkerCommands;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.sshd.common.config.keys.KeyUtils;

/**
 * Checks one worker in the order docs/workers.md sets it up. A failure that makes the later
 * checks meaningless (unreachable, changed host key, no login) ends the run there.
 *
 * <p>An unpinned host key does not stop it: the key just fetched and shown is accepted for this
 * run only (in memory, never written to known_hosts), so the user sees every finding before
 * deciding to trust the worker.
 */
public final class WorkerSetup {
    /** One remote check, a fresh login included. */
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);
    private static final String GUIDE = "docs/workers.md";

    private final Config config;
    private final String localVersion;
    private final Duration timeout;
    private final KnownHostsSource knownHosts;

    /** @param localVersion the local ffmpeg's version, null when unknown (no comparison then) */
    public WorkerSetup(Config config, String localVersion) {
        this(config, localVersion, KnownHostsSource.file(config.state().knownHosts()));
    }

    /** @param knownHosts where pinned keys are: the file, or the table servers sharing PostgreSQL read */
    public WorkerSetup(Config config, String localVersion, KnownHostsSource knownHosts) {
        this(config, localVersion, COMMAND_TIMEOUT, knownHosts);
    }

    WorkerSetup(Config config, String localVersion, Duration timeout) {
        this(config, localVersion, timeout, KnownHostsSource.file(config.state().knownHosts()));
    }

    WorkerSetup(Config config, String localVersion, Duration timeout, KnownHostsSource knownHosts) {
        this.config = config;
        this.localVersion = localVersion;
        this.timeout = timeout;
        this.knownHosts = knownHosts;
    }

    public SetupReport run(SetupRequest request) {
        SshTarget target = new SshTarget(request.name(), request.address(), request.port(), request.user());
        List<Check> checks = new ArrayList<>();
        HostLine line = new HostLine(request);
        String trust = "ffdispatch host trust " + request.name();
        Check reach = reachable(target);
        checks.add(reach);
        if (reach.status() == Check.Status.FAIL) {
            return new SetupReport(checks, line.text(), trust);
        }
        HostKeys keys = new HostKeys(knownHosts);
        PublicKey offered;
        try {
            offered = keys.fetch(target, config.ssh().connectTimeout());
        } catch (IOException e) {
            checks.add(Check.fail("host key", e.getMessage(), "check that an SSH server listens on " + SshTarget.hostPort(request.address(), request.port())));
            return new SetupReport(checks, line.text(), trust);
        }
        Check key = hostKey(keys, target, offered);
        checks.add(key);
        boolean pinned = key.status() == Check.Status.OK;
        if (key.status() == Check.Status.FAIL) {
            return new SetupReport(checks, line.text(), trust);
        }
        try (SshPool pool = pool()) {
            pool.start();
            pool.acceptUnpinned(target, offered);
            new RemoteChecks(pool, target, request, line, checks).run();
        }
        return new SetupReport(checks, line.text(), pinned ? null : trust);
    }

    private Check reachable(SshTarget target) {
        Duration limit = config.ssh().connectTimeout();
        String where = target.hostPort();
        try (Socket socket = new Socket()) {
            long started = System.nanoTime();
            socket.connect(new InetSocketAddress(target.address(), target.port()), Math.toIntExact(limit.toMillis()));
            return Check.ok("reachable", where + " answers in " + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms");
        } catch (IOException e) {
            return Check.fail("reachable", "no TCP connection to " + where + " within " + limit + ": " + e.getMessage(),
                "check the address and --port, that sshd runs on the worker, and the firewall (" + GUIDE + "#6-firewall)");
        }
    }

    private static Check hostKey(HostKeys keys, SshTarget target, PublicKey offered) {
        String shown = KeyUtils.getKeyType(offered) + " " + HostKeys.fingerprint(offered);
        Optional<PublicKey> pinned;
        try {
            pinned = keys.pinned(target);
        } catch (IOException e) {
            return Check.fail("host key", shown + "; cannot read known_hosts: " + e.getMessage(),
                "fix or remove the file (state.known_hosts), then run this again");
        }
        if (pinned.isEmpty()) {
            return Check.warn("host key", shown + " (not pinned yet; accepted for this check only)",
                "compare it with 'ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub' on the worker; after 'host add' run: "
                    + "ffdispatch host trust " + target.name() + " (" + GUIDE + "#7-register-and-trust-the-host)");
        }
        if (KeyUtils.compareKeys(pinned.get(), offered)) {
            return Check.ok("host key", shown + " (pinned)");
        }
        return Check.fail("host key", shown + " but " + HostKeys.fingerprint(pinned.get()) + " is pinned: the key CHANGED",
            "if the worker was reinstalled, compare the new key with ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub"
                + " there and run: ffdispatch host trust " + target.name() + "; otherwise someone may be in between");
    }

    private SshPool pool() {
        return new SshPool(new SshSettings(knownHosts, config.ssh().identities(),
            config.ssh().connectTimeout(), config.ssh().connectTimeout(), config.ssh().heartbeat(),
            config.ssh().idleTimeout(), 1));
    }

    /** {@code restrict <id_ed25519.pub>}: the line the worker's authorized_keys needs. */
    static String authorizedKeysLine(Path identity) throws IOException {
        KeyFiles.publicKey(identity); // the message of a missing or broken file says how to recreate it
        Path pub = identity.resolveSibling(identity.getFileName() + ".pub");
        return "restrict " + Files.readString(pub, StandardCharsets.US_ASCII).strip();
    }

    /** The checks that need a login, sharing one session. */
    private final class RemoteChecks {
        private final RemoteCommandRunner runner;
        private final SshTarget target;
        private final SetupRequest request;
        private final HostLine line;
        private final List<Check> checks;
        private final HostChecks hostChecks;

        RemoteChecks(SshPool pool, SshTarget target, SetupRequest request, HostLine line, List<Check> checks) {
            this.runner = pool;
            this.target = target;
            this.request = request;
            this.line = line;
            this.checks = checks;
            this.hostChecks = new HostChecks(pool, new HostKeys(knownHosts), timeout, localVersion);
        }

        void run() {
            Path identity = config.ssh().identities().get(0);
            String authorized;
            try {
                authorized = authorizedKeysLine(identity);
            } catch (IOException e) {
                checks.add(Check.fail("ssh identity", e.getMessage(), "ssh-keygen -t ed25519 -N '' -f " + identity));
                return;
            }
            Login login = new Login(runner, target, timeout);
            Optional<Check> failed = login.first(authorized);
            if (failed.isPresent()) {
                checks.add(failed.get());
                return;
            }
            checks.add(login.loggedIn());
            String os = login.answer("uname -s").strip();
            checks.addAll(login.shell(os));
            checks.add(os(os));
            Tools tools = new Tools(runner, hostChecks, target, timeout, os);
            checks.addAll(tools.check());
            tools.program().ifPresent(p -> line.tools(p, tools.ffprobe()));
            checks.addAll(new SharedDirs(runner, hostChecks, target, timeout, os, request).check());
            checks.add(pgrep(login));
        }

        private Check os(String os) {
            return switch (os) {
                case "Linux" -> Check.ok("os", "Linux");
                case "Darwin" -> Check.ok("os", "macOS (Darwin): use --ffmpeg with the Homebrew path and --map shares under"
                    + " /Volumes (" + GUIDE + "#path-mapping-macos)");
                default -> Check.warn("os", "uname -s says '" + os + "'; ffdispatch is tested with Linux and macOS workers",
                    "expect differences; the checks below still apply");
            };
        }

        private Check pgrep(Login login) {
            // The daemon's own probe, as one command (its link answers the same way): "ok <count>".
            Optional<String> answer = login.tryAnswer(WorkerCommands.FFMPEG_COUNT).map(String::strip);
            if (answer.isPresent() && answer.get().matches("ok \\d+")) {
                return Check.ok("pgrep", "the probe (pgrep -x ffmpeg) counts " + answer.get().substring(3)
                    + " running ffmpeg");
            }
            return Check.fail("pgrep", "the probe (pgrep -x ffmpeg) answered "
                + answer.map(c -> "'" + c + "'").orElse("nothing") + ": the balancer cannot count this worker's load",
                "install pgrep (Debian: apt install procps)");
        }
    }
}
