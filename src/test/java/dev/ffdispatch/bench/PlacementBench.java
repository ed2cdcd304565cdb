package dev.ffdispatch.bench;

import dev.ffdispatch.daemon.DaemonProcess;
import dev.ffdispatch.daemon.SocketJobs;
import dev.ffdispatch.daemon.StatusReply;
import dev.ffdispatch.demo.LoopbackWorker;
import dev.ffdispatch.protocol.Tool;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Table 2: a burst of simultaneous job starts against the ranking formula. Held jobs ({@code sh
 * -c 'read x'} as the workers' "ffmpeg") keep every job alive until all are placed, so the
 * daemon's own live counts (its STATUS reply) are the final placement; the ideal comes from an
 * independent step-by-step evaluation of the formula.
 */
final class PlacementBench {
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final List<String> HOLD = List.of("-c", "read x");
    private static final String[] NAMES = {"a", "b", "c"};

    private final BenchContext ctx;

    PlacementBench(BenchContext ctx) {
        this.ctx = ctx;
    }

    void run() throws Exception {
        Table table = new Table("2. Burst placement: N simultaneous job starts on weighted loopback workers",
            "one run per row: N client threads released at once, jobs held until all run; placed = the daemon's own"
                + " job count per host; ideal = the formula evaluated independently; deviation = sum |placed - ideal|",
            "weights", "sessions", "N", "placed", "ideal", "deviation", "all running after ms");
        List<LoopbackWorker> workers = new ArrayList<>();
        try {
            for (String name : NAMES) {
                workers.add(LoopbackWorker.start(name, ctx.dir("place-worker-" + name), ctx.clientKey()));
            }
            // ssh.max_sessions_per_host 4 x 8 channels per session caps a host at 32 channels, probes
            // included: 33 jobs on one host (weights 4,2 at N=50) need more, hence 8 here, and the
            // last row shows the default.
            runs(table, workers, List.of(new int[] {4, 2}, new int[] {4, 2, 1}), new int[] {6, 12, 50}, "8");
            runs(table, workers, List.<int[]>of(new int[] {4, 2}), new int[] {50}, "4");
        } finally {
            for (LoopbackWorker w : workers) {
                w.close();
            }
        }
        table.note("sessions = ssh.max_sessions_per_host (default 4); 8 channels per session, so a worker carries at most"
            + " 8 x sessions - 1 jobs; with 4 (31 jobs) the formula's 33rd job on one host goes to the next host at once.");
        table.print(ctx.out());
    }

    private void runs(Table table, List<LoopbackWorker> workers, List<int[]> weightSets, int[] bursts, String sessions)
        throws Exception {
        for (int[] weights : weightSets) {
            BenchHome home = new BenchHome(ctx.dir("place-" + weights.length + "-" + sessions), ctx.identity(),
                Map.of("FFDISPATCH_SSH_MAX_SESSIONS_PER_HOST", sessions));
            Map<String, Integer> byName = new LinkedHashMap<>();
            for (int h = 0; h < weights.length; h++) {
                LoopbackWorker w = workers.get(h);
                home.addHost(w.name(), w.port(), System.getProperty("user.name"), weights[h], "/bin/sh", w.hostKey());
                byName.put(w.name(), weights[h]);
            }
            try (DaemonProcess daemon = home.startDaemon(ctx.jar())) {
                daemon.awaitHostsUp(weights.length, BenchHome.START_TIMEOUT);
                for (int n : bursts) {
                    burst(table, daemon, byName, n, sessions);
                }
            }
        }
    }

    private void burst(Table table, DaemonProcess daemon, Map<String, Integer> weights, int n, String sessions)
        throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(n);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<SocketJobs.Held>> held = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                held.add(clients.submit(() -> {
                    go.await();
                    return SocketJobs.hold(daemon.socket(), Tool.FFMPEG, HOLD);
                }));
            }
            long t0 = System.nanoTime();
            go.countDown();
            awaitRunning(daemon, n);
            long allRunningMs = (System.nanoTime() - t0) / 1_000_000;
            Map<String, Integer> placed = new TreeMap<>();
            daemon.status().hosts().forEach(h -> placed.put(h.name(), h.own()));
            Map<String, Integer> ideal = formula(weights, n);
            int deviation = 0;
            for (String host : ideal.keySet()) {
                deviation += Math.abs(placed.getOrDefault(host, 0) - ideal.get(host));
            }
            table.row(weights.values().toString(), sessions, n, placed.values().toString(), ideal.values().toString(), deviation,
                allRunningMs);
        } finally {
            int failed = 0;
            for (Future<SocketJobs.Held> f : held) {
                try {
                    f.get().release(TIMEOUT);
                } catch (IOException e) {
                    failed++;
                    System.err.println("bench: release of a held job failed: " + e);
                }
            }
            clients.shutdown();
            if (failed > 0) {
                System.err.println("bench: " + failed + " of " + n + " held jobs could not be released; see " + daemon.logFile());
            }
        }
        awaitRunning(daemon, 0);
    }

    /** Until the daemon reports exactly {@code n} live jobs, each with its remote PID known. */
    static void awaitRunning(DaemonProcess daemon, int n) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        int running = -1;
        while (System.nanoTime() < deadline) {
            List<StatusReply.JobStatus> jobs = daemon.status().jobs();
            running = (int) jobs.stream().filter(job -> job.pid() != null).count();
            if (jobs.size() == n && running == n) {
                return;
            }
            Thread.sleep(10);
        }
        throw new IOException(running + " jobs running, expected " + n + " within " + TIMEOUT + "; see " + daemon.logFile());
    }

    /** score = active*1000/weight - weight, lowest wins, tie: higher weight, then earlier host. */
    static Map<String, Integer> formula(Map<String, Integer> weights, int jobs) {
        Map<String, Integer> active = new TreeMap<>();
        weights.keySet().forEach(h -> active.put(h, 0));
        for (int n = 0; n < jobs; n++) {
            String best = null;
            long bestScore = 0;
            for (Map.Entry<String, Integer> h : weights.entrySet()) {
                long score = active.get(h.getKey()) * 1000L / h.getValue() - h.getValue();
                if (best == null || score < bestScore || (score == bestScore && h.getValue() > weights.get(best))) {
                    best = h.getKey();
                    bestScore = score;
                }
            }
            active.merge(best, 1, Integer::sum);
        }
        return active;
    }
}
