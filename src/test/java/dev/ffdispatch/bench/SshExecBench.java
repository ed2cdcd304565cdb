package dev.ffdispatch.bench;

import dev.ffdispatch.demo.LoopbackWorker;
import dev.ffdispatch.ssh.CommandResult;
import dev.ffdispatch.ssh.HostKeys;
import dev.ffdispatch.ssh.SshPool;
import dev.ffdispatch.ssh.SshSettings;
import dev.ffdispatch.ssh.SshTarget;
import java.io.IOException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where the time of one pooled SSH exec goes: the daemon's SshPool running {@code true} on the
 * in-process MINA worker and on OpenSSH sshd, logged in as a /bin/sh user and as root, next to
 * the cost of the login shell alone. sshd runs every command through the user's login shell,
 * and bash sources ~/.bashrc when sshd starts it.
 */
final class SshExecBench {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final BenchContext ctx;
    private final int runs;

    SshExecBench(BenchContext ctx) {
        this.ctx = ctx;
        this.runs = ctx.pick(20, 50);
    }

    void run() throws Exception {
        String root = System.getProperty("user.name");
        String benchUser = Sshd.workerUser();
        Path knownHosts = ctx.work().resolve("sshexec_known_hosts");
        Table table = new Table("SSH exec: the daemon's SshPool running `true` (ms)",
            "first = connect + key exchange + login + exec on a fresh pool; pooled = median/p90 of " + runs
                + " execs on the open session after 3 warm-up execs; ratio to the MINA worker's pooled median",
            "worker, login user (login shell)", "first", "pooled med", "p90", "vs MINA");
        try (Sshd sshd = Sshd.start(ctx.dir("sshexec-sshd"), ctx.clientKey(), List.of());
             LoopbackWorker mina = LoopbackWorker.start("mina", ctx.dir("sshexec-mina"), ctx.clientKey())) {
            List<String> labels = new ArrayList<>();
            List<SshTarget> targets = new ArrayList<>();
            labels.add("MINA loopback worker (in-process, sh -c)");
            targets.add(pin(knownHosts, new SshTarget("mina", "127.0.0.1", mina.port(), root), mina.hostKey()));
            if (!benchUser.equals(root)) {
                labels.add("OpenSSH sshd, " + benchUser + " (/bin/sh)");
                targets.add(pin(knownHosts, new SshTarget("sh-user", "127.0.0.1", sshd.port, benchUser), sshd.hostKey));
            }
            labels.add("OpenSSH sshd, " + root + " (" + loginShell(root) + ")");
            targets.add(pin(knownHosts, new SshTarget("root", "127.0.0.1", sshd.port, root), sshd.hostKey));
            double base = 0;
            for (int i = 0; i < targets.size(); i++) {
                double[] r = measure(knownHosts, targets.get(i));
                base = i == 0 ? r[1] : base;
                table.row(labels.get(i), r[0], r[1], r[2], Table.ratio(r[1], base));
            }
        }
        shellCosts(table, root);
        table.print(ctx.out());
    }

    /** The login shells alone, started the way sshd starts them (SSH_CLIENT set: bash then reads ~/.bashrc). */
    private void shellCosts(Table table, String root) throws IOException, InterruptedException {
        CommandTimer timer = new CommandTimer(ctx.work(), 3, runs);
        String home = System.getProperty("user.home");
        List<String> env = List.of("env", "-i", "HOME=" + home, "PATH=/usr/local/bin:/usr/bin:/bin",
            "SSH_CLIENT=127.0.0.1 40000 22", "USER=" + root);
        Stats sh = timer.time(LatencyBench.concat(env.get(0), concat(env.subList(1, env.size()), "/bin/sh", "-c", "true")), Map.of());
        Stats bash = timer.time(LatencyBench.concat(env.get(0), concat(env.subList(1, env.size()), "/bin/bash", "-c", "true")), Map.of());
        table.row("local only: /bin/sh -c true", "", sh.median(), sh.percentile(90), "");
        table.row("local only: bash -c true as sshd starts it (" + home + "/.bashrc)", "", bash.median(),
            bash.percentile(90), "");
        table.note("local-only rows: " + timer.tool() + ", " + runs + " runs; env -i with SSH_CLIENT set, as sshd does.");
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
                + new String(result.stderr(), java.nio.charset.StandardCharsets.UTF_8));
        }
        return (System.nanoTime() - t0) / 1e6;
    }

    private static SshTarget pin(Path knownHosts, SshTarget target, PublicKey key) throws IOException {
        new HostKeys(knownHosts).pin(target, key);
        return target;
    }

    static String loginShell(String user) {
        try {
            for (String line : java.nio.file.Files.readAllLines(Path.of("/etc/passwd"))) {
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

    private static List<String> concat(List<String> head, String... tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(List.of(tail));
        return all;
    }
}
