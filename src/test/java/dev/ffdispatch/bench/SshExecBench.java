package dev.ffdispatch.bench;

import dev.ffdispatch.TestLogins;
import dev.ffdispatch.demo.LoopbackWorker;
import dev.ffdispatch.ssh.CommandResult;
import dev.ffdispatch.ssh.HostKeys;
import dev.ffdispatch.ssh.SshPool;
import dev.ffdispatch.ssh.SshSettings;
import dev.ffdispatch.ssh.SshTarget;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where the time of one pooled SSH exec goes: the daemon's SshPool running {@code true} on the
 * in-process MINA worker and on OpenSSH sshd, logged in as the /bin/sh test login and as the
 * test login whose ~/.bashrc is slow on purpose, next to the cost of the login shell alone.
 * sshd runs every command through the user's login shell, and bash sources ~/.bashrc when sshd
 * starts it. Nobody's real dotfiles take part: root's ~/.bashrc can hang (pyenv).
 */
final class SshExecBench {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** What the slow login's ~/.bashrc sleeps: a heavy ~/.bashrc (pyenv, conda) costs 0.5-2.5 s. */
    static final Duration SLOW_LOGIN = Duration.ofMillis(500);

    private final BenchContext ctx;
    private final int runs;

    SshExecBench(BenchContext ctx) {
        this.ctx = ctx;
        this.runs = ctx.pick(20, 50);
    }

    void run() throws Exception {
        String me = System.getProperty("user.name");
        String fast = Sshd.workerUser();
        Optional<String> noSlow = TestLogins.slowLoginUnavailable();
        Path knownHosts = ctx.work().resolve("sshexec_known_hosts");
        Table table = new Table("SSH exec: the daemon's SshPool running `true` (ms)",
            "first = connect + key exchange + login + exec on a fresh pool; pooled = median/p90 of " + runs
                + " execs on the open session after 3 warm-up execs; ratio to the MINA worker's pooled median",
            "worker, login user (login shell)", "first", "pooled med", "p90", "vs MINA");
        try (Sshd sshd = Sshd.start(ctx.dir("sshexec-sshd"), ctx.clientKey(), List.of(TestLogins.slowLoginConfig(SLOW_LOGIN)));
             LoopbackWorker mina = LoopbackWorker.start("mina", ctx.dir("sshexec-mina"), ctx.clientKey())) {
            double base = row(table, knownHosts, "MINA loopback worker (in-process, sh -c)",
                new SshTarget("mina", "127.0.0.1", mina.port(), me), mina.hostKey(), 0);
            row(table, knownHosts, "OpenSSH sshd, " + fast + " (" + loginShell(fast) + ")",
                new SshTarget("sh-user", "127.0.0.1", sshd.port, fast), sshd.hostKey, base);
            String slowLabel = "OpenSSH sshd, " + TestLogins.SLOW + " (/bin/bash, ~/.bashrc sleeps " + seconds() + ")";
            if (noSlow.isPresent()) {
                table.missing(slowLabel, noSlow.get());
            } else {
                row(table, knownHosts, slowLabel, new SshTarget("slow-login", "127.0.0.1", sshd.port, TestLogins.slowUser()),
                    sshd.hostKey, base);
            }
        }
        shellCosts(table);
        table.note(TestLogins.SLOW + " stands in for a worker whose ~/.bashrc runs pyenv or conda: its ~/.bashrc sleeps "
            + seconds() + " on purpose (sshd's SetEnv " + TestLogins.DELAY_ENV + "); no real user's dotfiles are used.");
        table.print(ctx.out());
    }

    /**
     * Measures one worker into a row, or a row that says why not. {@code base}: the MINA row's
     * pooled median, 0 for the MINA row itself or when it could not be measured (no ratio then).
     * Returns the pooled median, 0 when not measured.
     */
    private double row(Table table, Path knownHosts, String label, SshTarget target, PublicKey hostKey, double base) {
        try {
            new HostKeys(knownHosts).pin(target, hostKey);
            double[] r = measure(knownHosts, target);
            boolean isBase = target.name().equals("mina");
            table.row(label, r[0], r[1], r[2], isBase ? Table.ratio(1, 1) : base == 0 ? "" : Table.ratio(r[1], base));
            return r[1];
        } catch (IOException | RuntimeException e) {
            table.missing(label, e.toString());
            ctx.failed("SSH exec: " + label + ": " + e);
            e.printStackTrace(System.err); // the bench log
            return 0;
        }
    }

    /** The login shells alone, started the way sshd starts them (SSH_CLIENT set: bash then reads ~/.bashrc). */
    private void shellCosts(Table table) throws IOException, InterruptedException {
        CommandTimer timer = new CommandTimer(ctx.work(), 3, runs);
        Stats sh = timer.time(List.of("env", "-i", "PATH=/usr/local/bin:/usr/bin:/bin", "SSH_CLIENT=127.0.0.1 40000 22",
            "/bin/sh", "-c", "true"), Map.of());
        table.row("local only: /bin/sh -c true", "", sh.median(), sh.percentile(90), "");
        Path home = TestLogins.SLOW_HOME;
        String label = "local only: bash -c true as sshd starts it for " + TestLogins.SLOW;
        if (!Files.isReadable(home.resolve(".bashrc"))) {
            table.missing(label, TestLogins.slowLoginUnavailable().orElse("no " + home + "/.bashrc"));
        } else {
            Stats bash = timer.time(List.of("env", "-i", "HOME=" + home, "PATH=/usr/local/bin:/usr/bin:/bin",
                "SSH_CLIENT=127.0.0.1 40000 22", "USER=" + TestLogins.SLOW, TestLogins.DELAY_ENV + "=" + delay(),
                "/bin/bash", "-c", "true"), Map.of());
            table.row(label, "", bash.median(), bash.percentile(90), "");
        }
        table.note("local-only rows: " + timer.tool() + ", " + runs + " runs; env -i with SSH_CLIENT set, as sshd does.");
    }

    /** The slow login's sleep as sleep(1) takes it: "0.5". */
    private static String delay() {
        return String.format(java.util.Locale.ROOT, "%.1f", SLOW_LOGIN.toMillis() / 1000.0);
    }

    private static String seconds() {
        return delay() + " s";
    }

    private double[] measure(Path knownHosts, SshTarget target) throws IOException {
        SshSettings settings = new SshSettings(knownHosts, List.of(ctx.identity()), Duration.ofSeconds(10),
            Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(5), 1);
        try (SshPool pool = new SshPool(settings)) {
            pool.start();
            double first = exec(pool, target);
            for (int i = 0; i < 3; i++) {
                exec(pool, target);
            }
            List<Double> ms = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                ms.add(exec(pool, target));
            }
            Stats s = Stats.of(ms);
            return new double[] {first, s.median(), s.percentile(90)};
        }
    }

    private static double exec(SshPool pool, SshTarget target) throws IOException {
        long t0 = System.nanoTime();
        CommandResult result = pool.run(target, "true", TIMEOUT);
        if (result.exitCode() != 0) {
            throw new IOException("`true` on " + target + " exited with " + result.exitCode() + ": "
                + new String(result.stderr(), StandardCharsets.UTF_8));
        }
        return (System.nanoTime() - t0) / 1e6;
    }

    static String loginShell(String user) {
        try {
            for (String line : Files.readAllLines(Path.of("/etc/passwd"))) {
                String[] f = line.split(":");
                if (f.length >= 7 && f[0].equals(user)) {
                    return f[6];
                }
            }
        } catch (IOException e) {
            // fall through: the shell is only a label
        }
        return "?";
    }
}
