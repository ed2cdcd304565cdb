package dev.ffdispatch.bench;

import dev.ffdispatch.daemon.DaemonProcess;
import dev.ffdispatch.daemon.SocketJobs;
import dev.ffdispatch.demo.LoopbackWorker;
import dev.ffdispatch.protocol.Tool;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Table 1: what one short call costs, local against every way of running it remotely. Each
 * variant runs {@code ffmpeg -version} and a JSON ffprobe of a small clip; ratios are to the
 * local binary in the same run.
 */
final class LatencyBench {
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    private final BenchContext ctx;
    private final CommandTimer timer;
    /** The variants take turns, a block of runs each, so a noisy neighbour hits all of them alike. */
    private final int rounds;

    LatencyBench(BenchContext ctx) {
        this.ctx = ctx;
        this.rounds = ctx.pick(2, 3);
        this.timer = new CommandTimer(ctx.work(), 2, ctx.pick(12, 30) / rounds);
    }

    /** One way of running a tool: the command for ffmpeg or ffprobe with the given arguments. */
    private interface Variant {
        Stats time(String tool, List<String> args) throws IOException, InterruptedException;
    }

    void run() throws Exception {
        String user = Sshd.workerUser();
        Path clip = ctx.clip();
        List<String> version = List.of("-version");
        List<String> probe = List.of("-v", "quiet", "-print_format", "json", "-show_format", "-show_streams",
            clip.toString());
        try (Sshd sshd = Sshd.start(ctx.dir("lat-sshd"), ctx.clientKey(), List.of());
             LoopbackWorker mina = LoopbackWorker.start("mina", ctx.dir("lat-mina-worker"), ctx.clientKey())) {
            BenchHome minaHome = new BenchHome(ctx.dir("lat-mina"), ctx.identity(), Map.of());
            minaHome.addHost("mina", mina.port(), System.getProperty("user.name"), 1, BenchContext.FFMPEG, mina.hostKey());
            BenchHome sshHome = new BenchHome(ctx.dir("lat-openssh"), ctx.identity(), Map.of());
            sshHome.addHost("openssh", sshd.port, user, 1, BenchContext.FFMPEG, sshd.hostKey);
            try (DaemonProcess viaMina = minaHome.startDaemon(ctx.jar());
                 DaemonProcess viaSsh = sshHome.startDaemon(ctx.jar())) {
                viaMina.awaitHostsUp(1, BenchHome.START_TIMEOUT);
                viaSsh.awaitHostsUp(1, BenchHome.START_TIMEOUT);
                measure(sshd, user, viaMina, viaSsh, version, probe);
            } finally {
                ctx.stopControlMaster(sshd, user, "lat");
            }
        }
    }

    private void measure(Sshd sshd, String user, DaemonProcess viaMina, DaemonProcess viaSsh, List<String> version,
                         List<String> probe) throws Exception {
        Map<String, String> minaEnv = Map.of("FFDISPATCH_SOCKET", viaMina.socket().toString());
        Map<String, String> sshEnv = Map.of("FFDISPATCH_SOCKET", viaSsh.socket().toString());
        List<String> labels = new ArrayList<>();
        List<Variant> variants = new ArrayList<>();
        labels.add("local binary");
        variants.add((tool, args) -> timer.time(local(tool, args), Map.of()));
        labels.add("ffdispatch shim -> daemon -> MINA loopback worker");
        variants.add((tool, args) -> timer.time(concat(ctx.shim(tool), args), minaEnv));
        labels.add("ffdispatch shim -> daemon -> OpenSSH worker (" + user + ")");
        variants.add((tool, args) -> timer.time(concat(ctx.shim(tool), args), sshEnv));
        labels.add("daemon only, socket client in-JVM -> MINA worker");
        variants.add((tool, args) -> socketLoop(viaMina, tool, args));
        labels.add("daemon only, socket client in-JVM -> OpenSSH worker");
        variants.add((tool, args) -> socketLoop(viaSsh, tool, args));
        labels.add("ssh " + user + "@127.0.0.1 (new connection per call)");
        variants.add((tool, args) -> timer.time(remote(sshd, user, List.of(), tool, args), Map.of()));
        labels.add("ssh with warm ControlMaster");
        variants.add((tool, args) -> timer.time(remote(sshd, user, ctx.controlMaster("lat"), tool, args), Map.of()));

        Table table = new Table("1. Per-call latency (ms): ffmpeg -version and ffprobe -print_format json on a 2 s clip",
            "median and p90 of " + rounds * timer.runs + " runs each (" + rounds + " rounds over all variants of "
                + timer.runs + " runs after " + timer.warmup + " warm-up runs), " + timer.tool()
                + "; in-JVM rows: the same in a loop; ratio = median / local median",
            "variant", "-version med", "p90", "vs local", "ffprobe med", "p90", "vs local");
        Stats[] versions = new Stats[variants.size()];
        Stats[] probes = new Stats[variants.size()];
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < variants.size(); i++) {
                versions[i] = variants.get(i).time("ffmpeg", version).plus(versions[i]);
                probes[i] = variants.get(i).time("ffprobe", probe).plus(probes[i]);
            }
        }
        for (int i = 0; i < variants.size(); i++) {
            Stats v = versions[i];
            Stats p = probes[i];
            table.row(labels.get(i), v.median(), v.percentile(90), Table.ratio(v.median(), versions[0].median()),
                p.median(), p.percentile(90), Table.ratio(p.median(), probes[0].median()));
        }
        table.note("shim rows run bin/ffmpeg as Jellyfin does, which starts the native client (table 6 compares it"
            + " with the Java shim); the in-JVM rows are the daemon + SSH part alone.");
        table.note("OpenSSH worker login: " + user + " (login shell " + SshExecBench.loginShell(user)
            + "); the SSH exec table shows what a slow login shell costs.");
        table.print(ctx.out());
    }

    /** The daemon path alone: jobs over the socket from this JVM, no shim JVM start. */
    private Stats socketLoop(DaemonProcess daemon, String tool, List<String> args) throws IOException {
        Tool which = "ffprobe".equals(tool) ? Tool.FFPROBE : Tool.FFMPEG;
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < timer.warmup + timer.runs; i++) {
            long t0 = System.nanoTime();
            int code = SocketJobs.run(daemon.socket(), which, args, OutputStream.nullOutputStream(), CALL_TIMEOUT);
            if (code != 0) {
                throw new IOException(tool + " " + args + " via " + daemon.socket() + " exited with " + code
                    + "; see " + daemon.logFile());
            }
            if (i >= timer.warmup) {
                ms.add((System.nanoTime() - t0) / 1e6);
            }
        }
        return Stats.of(ms);
    }

    private static List<String> local(String tool, List<String> args) {
        return concat("ffprobe".equals(tool) ? BenchContext.FFPROBE : BenchContext.FFMPEG, args);
    }

    private List<String> remote(Sshd sshd, String user, List<String> extra, String tool, List<String> args)
        throws IOException {
        return ctx.ssh(sshd, user, extra, local(tool, args).toArray(String[]::new));
    }

    static List<String> concat(String program, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(program);
        cmd.addAll(args);
        return cmd;
    }
}
