package dev.ffdispatch.bench;

import dev.ffdispatch.caps.CapabilityProbes;
import dev.ffdispatch.daemon.DaemonProcess;
import dev.ffdispatch.store.Store;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Table 6: what one call costs Jellyfin through each client, against the bare ffmpeg on this
 * machine: a 0.1 s job run locally by the daemon (no worker) and on an OpenSSH worker, and
 * {@code ffmpeg -version} run both ways (daemons with {@code routing.capabilities} off); then each
 * of the five capability probes answered by a third daemon from the OpenSSH worker's stored
 * profile, with no ffmpeg run anywhere (the job history of that daemon is checked to hold none).
 * The clients are the launcher bin/ffmpeg as Jellyfin runs it, once running the native client and
 * once the Java shim (FFDISPATCH_CLIENT=java, with its class-data archive warm). Every round runs
 * each command once, in turn, so a noisy neighbour hits all of them alike; "+ms" is the median of
 * the per-round differences to the bare run.
 */
final class ClientBench {
    /** Real time of the job's input: -re reads the 0.1 s test source at its own rate. */
    static final List<String> JOB = List.of("-nostdin", "-hide_banner", "-loglevel", "error", "-re", "-f", "lavfi",
        "-i", "testsrc=duration=0.1:size=320x240:rate=25", "-f", "null", "-");
    static final List<String> VERSION = List.of("-version");
    /** The cached rows' daemon: capability profiles on (every other bench daemon has them off). */
    private static final Map<String, String> PROFILES = Map.of("FFDISPATCH_ROUTING_CAPABILITIES", "true");
    /** The bound for a local 0.1 s job through client and daemon, as a ratio to bare ffmpeg. */
    static final double TARGET = 1.15;
    private static final Duration PER_RUN_LIMIT = Duration.ofSeconds(60);
    /** Calls through each daemon before measuring, so its JIT has compiled the job path. */
    private static final int WARM_DAEMON_CALLS = 40;

    private final BenchContext ctx;
    private final int rounds;

    ClientBench(BenchContext ctx) {
        this.ctx = ctx;
        this.rounds = ctx.pick(12, 40);
    }

    /** One kind of call and the commands that make it, by variant name; null where a variant does not apply. */
    private record Call(String label, Map<String, Command> commands) {
    }

    private record Command(List<String> argv, Map<String, String> env) {
    }

    void run() throws Exception {
        if (!Files.isExecutable(ctx.repo().resolve("target/native/ffdispatch-client"))) {
            throw new IllegalStateException("no target/native/ffdispatch-client: mvn -B -q -DskipTests package builds it"
                + " (needs gcc; src/main/c/build says what is missing)");
        }
        String user = Sshd.workerUser();
        try (Sshd sshd = Sshd.start(ctx.dir("client-sshd"), ctx.clientKey(), List.of())) {
            BenchHome localHome = new BenchHome(ctx.dir("client-local"), ctx.identity(), Map.of());
            BenchHome remoteHome = new BenchHome(ctx.dir("client-remote"), ctx.identity(), Map.of());
            BenchHome cachedHome = new BenchHome(ctx.dir("client-cached"), ctx.identity(), PROFILES);
            remoteHome.addHost("openssh", sshd.port, user, 1, BenchContext.FFMPEG, sshd.hostKey);
            cachedHome.addHost("openssh", sshd.port, user, 1, BenchContext.FFMPEG, sshd.hostKey);
            try (DaemonProcess local = localHome.startDaemon(ctx.jar());
                 DaemonProcess remote = remoteHome.startDaemon(ctx.jar());
                 DaemonProcess cached = cachedHome.startDaemon(ctx.jar())) {
                remote.awaitHostsUp(1, BenchHome.START_TIMEOUT);
                cached.awaitHostsUp(1, BenchHome.START_TIMEOUT);
                cached.awaitProfiles(BenchHome.START_TIMEOUT);
                List<Call> calls = new ArrayList<>(List.of(
                    call("0.1 s job, local (daemon, no worker)", JOB, local, null, null),
                    call("0.1 s job, OpenSSH worker", JOB, remote, sshd, user),
                    call("ffmpeg -version, run locally", VERSION, local, null, null),
                    call("ffmpeg -version, run on OpenSSH worker", VERSION, remote, sshd, user)));
                for (String probe : CapabilityProbes.LEARNED) {
                    calls.add(call("cached capability probe " + probe, List.of(probe), cached, sshd, user));
                }
                measure(calls, user, ranOnCached(cachedHome));
            } finally {
                ctx.stopControlMaster(sshd, user, "client");
            }
        }
    }

    private Call call(String label, List<String> args, DaemonProcess daemon, Sshd sshd, String user) throws IOException {
        Map<String, String> shimEnv = Map.of("FFDISPATCH_SOCKET", daemon.socket().toString(),
            "FFDISPATCH_SHIM_ENV", "/dev/null");
        Map<String, Command> commands = new LinkedHashMap<>();
        commands.put("bare", new Command(LatencyBench.concat(BenchContext.FFMPEG, args), Map.of()));
        commands.put("native", new Command(LatencyBench.concat(ctx.shim("ffmpeg"), args), with(shimEnv, "native")));
        commands.put("java", new Command(LatencyBench.concat(ctx.shim("ffmpeg"), args), with(shimEnv, "java")));
        if (sshd != null) {
            List<String> ssh = ctx.ssh(sshd, user, ctx.controlMaster("client"), LatencyBench.concat(BenchContext.FFMPEG, args)
                .toArray(String[]::new));
            commands.put("ssh", new Command(ssh, Map.of()));
        }
        return new Call(label, commands);
    }

    private static Map<String, String> with(Map<String, String> env, String client) {
        Map<String, String> all = new LinkedHashMap<>(env);
        all.put("FFDISPATCH_CLIENT", client);
        return all;
    }

    /** How many capability probes the cached daemon ran as jobs: its job history, read after the rounds. */
    private static java.util.function.IntSupplier ranOnCached(BenchHome home) {
        return () -> {
            try (Store store = Store.open(home.config.state())) {
                return (int) store.jobs(100_000, null, false).stream()
                    .filter(j -> CapabilityProbes.LEARNED.contains(j.command())).count();
            }
        };
    }

    private void measure(List<Call> calls, String user, java.util.function.IntSupplier probesRun) throws Exception {
        List<Map<String, List<Double>>> samples = new ArrayList<>();
        for (Call call : calls) {
            Map<String, List<Double>> byVariant = new LinkedHashMap<>();
            call.commands().keySet().forEach(v -> byVariant.put(v, new ArrayList<>()));
            samples.add(byVariant);
            for (Command c : call.commands().values()) { // warm-up: archives, ControlMaster
                for (int i = 0; i < 3; i++) {
                    time(c);
                }
            }
            for (int i = 0; i < WARM_DAEMON_CALLS; i++) { // a resident daemon has compiled its job path long ago
                time(call.commands().get("native"));
            }
        }
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < calls.size(); i++) {
                for (Map.Entry<String, Command> e : calls.get(i).commands().entrySet()) {
                    samples.get(i).get(e.getKey()).add(time(e.getValue()));
                }
            }
        }
        Table table = new Table("6. Per-call cost through each client (ms): bare ffmpeg, native client, Java shim",
            "median and p90 of " + rounds + " rounds; each round runs every command once, in turn (own loop,"
                + " process start to exit); x bare and +ms: medians of the per-round ratios and differences to the bare"
                + " run of the same round, which a noisy neighbour slows alike",
            "call", "bare", "native", "p90", "x bare", "+ms", "Java shim", "p90", "x bare", "+ms", "ssh (warm CM)");
        double localRatio = 0;
        for (int i = 0; i < calls.size(); i++) {
            Map<String, List<Double>> s = samples.get(i);
            Stats bare = Stats.of(s.get("bare"));
            Stats nat = Stats.of(s.get("native"));
            Stats java = Stats.of(s.get("java"));
            String ssh = s.containsKey("ssh") ? Table.format(Stats.of(s.get("ssh")).median()) : "-";
            double nativeRatio = medianRatio(s.get("native"), s.get("bare"));
            table.row(calls.get(i).label(), bare.median(), nat.median(), nat.percentile(90),
                Table.ratio(nativeRatio, 1), medianDifference(s.get("native"), s.get("bare")),
                java.median(), java.percentile(90), Table.ratio(medianRatio(s.get("java"), s.get("bare")), 1),
                medianDifference(s.get("java"), s.get("bare")), ssh);
            if (i == 0) {
                localRatio = nativeRatio;
            }
        }
        table.note(String.format(Locale.ROOT, "local 0.1 s job through the native client and the daemon:"
            + " x%.2f of the bare ffmpeg (issue #16 asks <= x%.2f): %s", localRatio, TARGET,
            localRatio <= TARGET ? "met" : "NOT met"));
        table.note("run rows: daemons with routing.capabilities false (every call runs ffmpeg); cached rows: the"
            + " daemon answers from the OpenSSH worker's stored profile, byte-exact; probes it ran as jobs in all"
            + " rounds: " + probesRun.getAsInt() + "; bare and ssh columns run the real ffmpeg (ssh: on the worker).");
        table.note(cachedVerdict(calls, samples));
        table.note("OpenSSH worker login: " + user + "; the daemons run as java -jar ffdispatch.jar daemon, log level warn.");
        table.note("load average at the end of the table: " + loadAverage() + " on " + Runtime.getRuntime().availableProcessors()
            + " cores; above the core count every extra process hop waits for a CPU, and the figures spread.");
        table.print(ctx.out());
    }

    /** Issue #13's target: ffmpeg -version through the shim no slower than the local ffmpeg itself. */
    private static String cachedVerdict(List<Call> calls, List<Map<String, List<Double>>> samples) {
        for (int i = 0; i < calls.size(); i++) {
            if (calls.get(i).label().equals("cached capability probe -version")) {
                double nat = medianDifference(samples.get(i).get("native"), samples.get(i).get("bare"));
                return String.format(Locale.ROOT, "cached ffmpeg -version through the native client: %+.1f ms against the"
                    + " local ffmpeg in the same rounds (issue #13 asks <= +0): %s", nat, nat <= 0 ? "met" : "NOT met");
            }
        }
        return "cached ffmpeg -version: no row";
    }

    /** Milliseconds from start to exit of one run; fails the bench when the command does. */
    private static double time(Command c) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(c.argv()).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectInput(new File("/dev/null"));
        builder.environment().putAll(c.env());
        long t0 = System.nanoTime();
        Process p = builder.start();
        if (!p.waitFor(PER_RUN_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", c.argv()) + " took longer than " + PER_RUN_LIMIT);
        }
        double ms = (System.nanoTime() - t0) / 1e6;
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", c.argv()) + " exited with " + p.exitValue() + " (env " + c.env() + ")");
        }
        return ms;
    }

    private static double medianRatio(List<Double> variant, List<Double> bare) {
        List<Double> r = new ArrayList<>();
        for (int i = 0; i < variant.size(); i++) {
            r.add(variant.get(i) / bare.get(i));
        }
        return Stats.of(r).median();
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private static double medianDifference(List<Double> variant, List<Double> bare) {
        List<Double> d = new ArrayList<>();
        for (int i = 0; i < variant.size(); i++) {
            d.add(variant.get(i) - bare.get(i));
        }
        return Stats.of(d).median();
    }
}
