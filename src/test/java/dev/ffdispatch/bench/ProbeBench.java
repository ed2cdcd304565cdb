package dev.ffdispatch.bench;

import dev.ffdispatch.TestLogins;
import dev.ffdispatch.ssh.HostKeys;
import dev.ffdispatch.ssh.SshPool;
import dev.ffdispatch.ssh.SshSettings;
import dev.ffdispatch.ssh.SshTarget;
import dev.ffdispatch.ssh.WorkerCommands;
import dev.ffdispatch.ssh.WorkerLink;
import dev.ffdispatch.ssh.WorkerLinks;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Issue 11: what a worker probe costs on OpenSSH sshd, the old way (one exec per probe, through
 * the login shell each time: {@link WorkerLinks#execOnly}) against the worker link (one line
 * each way on a channel started once); and one poll cycle of 100 workers each way: 100 probes
 * launched at once on their own threads, as the Poller does, against one sshd listening on 100
 * ports (100 endpoints: 100 sessions, 100 links).
 */
final class ProbeBench {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int WORKERS = 100;
    /** OpenSSH listens on at most 16 sockets (MAX_LISTEN_SOCKS): several sshd give the 100 endpoints. */
    private static final int PORTS_PER_SSHD = 15;
    private static final int SSHDS = (WORKERS + PORTS_PER_SSHD - 1) / PORTS_PER_SSHD;

    private final BenchContext ctx;
    private final int runs;
    private final int cycles;

    ProbeBench(BenchContext ctx) {
        this.ctx = ctx;
        this.runs = ctx.pick(50, 200);
        this.cycles = ctx.pick(5, 15);
    }

    void run() throws Exception {
        Path knownHosts = ctx.work().resolve("probe_known_hosts");
        Table single = new Table("8a. One worker probe on OpenSSH sshd: exec per probe vs the worker link (ms)",
            "median/p99 of " + runs + " probes (ffmpeg count) after 3 warm-up probes on an open session; the link's"
                + " start-up (login shell) is paid once before; ratio = exec median / link median; ping = the same link"
                + " answering a fixed word (its own round trip, without counting processes)",
            "login user (login shell)", "exec p50", "exec p99", "link p50", "link p99", "exec/link", "ping p50", "ping p99");
        Table cycle = new Table("8b. One poll cycle of " + WORKERS + " workers on OpenSSH (ms)",
            "wall time from launching " + WORKERS + " probes at once (one thread each, as the Poller) to the last"
                + " answer; median/p90 of " + cycles + " cycles on open sessions (and open links); login "
                + Sshd.workerUser() + " (/bin/sh); " + WORKERS + " endpoints = " + SSHDS + " sshd x " + PORTS_PER_SSHD
                + " ports",
            "probe", "cycle p50", "cycle p90", "vs link");
        List<Sshd> sshds = new ArrayList<>();
        try {
            List<SshTarget> targets = new ArrayList<>();
            for (int d = 0; d < SSHDS; d++) {
                List<Integer> ports = freePorts(PORTS_PER_SSHD - 1);
                List<String> config = new ArrayList<>(List.of(TestLogins.slowLoginConfig(SshExecBench.SLOW_LOGIN),
                    "MaxStartups 200", "MaxSessions 20"));
                // Port-qualified: Port lines would have to precede ListenAddress.
                ports.forEach(p -> config.add("ListenAddress 127.0.0.1:" + p));
                Sshd sshd = Sshd.start(ctx.dir("probe-sshd-" + d), ctx.clientKey(), config);
                sshds.add(sshd);
                List<Integer> all = new ArrayList<>(List.of(sshd.port));
                all.addAll(ports);
                for (int port : all) {
                    SshTarget t = new SshTarget("w" + targets.size(), "127.0.0.1", port, Sshd.workerUser());
                    new HostKeys(knownHosts).pin(t, sshd.hostKey);
                    targets.add(t);
                }
            }
            List<SshTarget> hundred = targets.subList(0, WORKERS);
            singleRow(single, knownHosts, Sshd.workerUser() + " (" + SshExecBench.loginShell(Sshd.workerUser()) + ")",
                targets.get(0));
            Optional<String> noSlow = TestLogins.slowLoginUnavailable();
            String slowLabel = TestLogins.SLOW + " (/bin/bash, ~/.bashrc sleeps " + SshExecBench.SLOW_LOGIN.toMillis() + " ms)";
            if (noSlow.isPresent()) {
                single.missing(slowLabel, noSlow.get());
            } else {
                SshTarget slow = new SshTarget("slow", "127.0.0.1", sshds.get(0).port, TestLogins.slowUser());
                new HostKeys(knownHosts).pin(slow, sshds.get(0).hostKey);
                singleRow(single, knownHosts, slowLabel, slow);
            }
            double link = cycleRow(cycle, knownHosts, hundred, false, 0);
            cycleRow(cycle, knownHosts, hundred, true, link);
        } finally {
            for (Sshd sshd : sshds) {
                sshd.close();
            }
        }
        single.note("exec = the probe before issue 11 (a new exec channel per probe: sshd forks and runs the login"
            + " shell each time), kept callable as WorkerLinks.execOnly and used when a worker cannot keep a link open.");
        single.print(ctx.out());
        cycle.print(ctx.out());
    }

    private void singleRow(Table table, Path knownHosts, String label, SshTarget target) {
        try (SshPool pool = pool(knownHosts)) {
            Stats exec = probes(WorkerLinks.execOnly(pool, TIMEOUT, TIMEOUT), target);
            Stats link;
            Stats ping;
            try (WorkerLinks links = new WorkerLinks(pool, TIMEOUT, TIMEOUT, WorkerLinks.Listener.NONE)) {
                link = probes(links, target);
                ping = pings(links, target);
            }
            table.row(label, exec.median(), exec.percentile(99), link.median(), link.percentile(99),
                Table.ratio(exec.median(), link.median()), ping.median(), ping.percentile(99));
        } catch (IOException | RuntimeException e) {
            table.missing(label, e.toString());
            ctx.failed("probe: " + label + ": " + e);
            e.printStackTrace(System.err);
        }
    }

    private Stats probes(WorkerLink link, SshTarget target) throws IOException {
        for (int i = 0; i < 3; i++) {
            link.count(target, TIMEOUT);
        }
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            link.count(target, TIMEOUT);
            ms.add((System.nanoTime() - t0) / 1e6);
        }
        return Stats.of(ms);
    }

    /**
     * The link's own cost: what a probe costs beyond this is the worker counting its processes
     * ({@code pgrep}), which grows with the worker's process table, not with the link.
     */
    private Stats pings(WorkerLinks links, SshTarget target) throws IOException {
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < runs + 3; i++) {
            long t0 = System.nanoTime();
            links.ask(target, WorkerCommands.Request.ping(), TIMEOUT);
            if (i >= 3) {
                ms.add((System.nanoTime() - t0) / 1e6);
            }
        }
        return Stats.of(ms);
    }

    /** Returns the cycle median, 0 when not measured. */
    private double cycleRow(Table table, Path knownHosts, List<SshTarget> targets, boolean exec, double linkMedian) {
        String label = exec ? "exec per probe (before)" : "worker link (after)";
        ExecutorService threads = Executors.newCachedThreadPool();
        SshSettings settings = new SshSettings(knownHosts, List.of(ctx.identity()), TIMEOUT, TIMEOUT,
            Duration.ofSeconds(30), Duration.ofMinutes(10), 1);
        try (SshPool pool = new SshPool(settings)) {
            pool.start();
            WorkerLinks links = exec ? WorkerLinks.execOnly(pool, TIMEOUT, TIMEOUT)
                : new WorkerLinks(pool, TIMEOUT, TIMEOUT, WorkerLinks.Listener.NONE);
            for (SshTarget t : targets) { // connect (and start links) one by one, outside the measurement
                links.count(t, TIMEOUT);
            }
            List<Double> walls = new ArrayList<>();
            for (int c = 0; c < cycles; c++) {
                long t0 = System.nanoTime();
                List<Future<WorkerLink.Probe>> answers = new ArrayList<>();
                for (SshTarget t : targets) {
                    answers.add(threads.submit(() -> links.count(t, TIMEOUT)));
                }
                for (Future<WorkerLink.Probe> a : answers) {
                    a.get();
                }
                walls.add((System.nanoTime() - t0) / 1e6);
            }
            links.close();
            Stats s = Stats.of(walls);
            table.row(label, s.median(), s.percentile(90), exec ? Table.ratio(s.median(), linkMedian) : Table.ratio(1, 1));
            return s.median();
        } catch (Exception e) {
            table.missing(label, e.toString());
            ctx.failed("probe cycle: " + label + ": " + e);
            e.printStackTrace(System.err);
            return 0;
        } finally {
            threads.shutdownNow();
        }
    }

    private SshPool pool(Path knownHosts) throws IOException {
        SshPool pool = new SshPool(new SshSettings(knownHosts, List.of(ctx.identity()), TIMEOUT, TIMEOUT,
            Duration.ofSeconds(30), Duration.ofMinutes(5), 1));
        pool.start();
        return pool;
    }

    private static List<Integer> freePorts(int n) throws IOException {
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                held.add(new ServerSocket(0));
            }
            return held.stream().map(ServerSocket::getLocalPort).toList();
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
    }
}
