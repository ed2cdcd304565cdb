package dev.ffdispatch.demo;

import dev.ffdispatch.config.Config;
import dev.ffdispatch.config.ConfigLoader;
import dev.ffdispatch.daemon.Daemon;
import dev.ffdispatch.ssh.HostKeys;
import dev.ffdispatch.ssh.KeyFiles;
import dev.ffdispatch.ssh.SshTarget;
import dev.ffdispatch.store.JobRecord;
import dev.ffdispatch.store.NewHost;
import dev.ffdispatch.store.Store;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The embedded default: two in-process SSH workers on loopback (weights 4 and 2), a temporary
 * daemon, a generated clip and a simultaneous burst of real HLS transcodes through the real shim
 * launcher, exactly as Jellyfin would start them.
 */
public final class Demo {
    static final int BURST = 6;
    static final int[] WEIGHTS = {4, 2};
    static final String[] NAMES = {"worker-a", "worker-b"};
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(3);
    /** The generated clip: its length and frame rate, which a complete output must match. */
    static final int CLIP_SECONDS = 4;
    static final int CLIP_FPS = 25;

    private final Path home;
    private final int burst;
    private final Map<String, String> env;

    /** @param env where the ffmpeg search looks ({@code PATH}) and the static build is cached ({@code XDG_CACHE_HOME}) */
    public Demo(Path home, int burst, Map<String, String> env) {
        this.home = home;
        this.burst = burst;
        this.env = Map.copyOf(env);
    }

    /** One job's outcome. */
    public record JobResult(int job, String host, int exitCode, boolean outputOk, long wallMs) {
    }

    /** Everything the demo measured. */
    public record Report(List<JobResult> jobs, Map<String, Integer> placement, Map<String, Integer> expected,
                         long directVersionMs, long shimVersionMs, String ffmpeg) {
        public boolean ok() {
            return jobs.stream().allMatch(j -> j.exitCode() == 0 && j.outputOk()) && placement.equals(expected);
        }
    }

    public Report run() throws Exception {
        Path ffmpeg = DemoFfmpeg.locate(env, home.resolve("setup"));
        // A generous probe timeout: the demo loads this machine's cores with six transcodes and
        // their JVMs, and a worker must not look dead because the daemon waited for CPU.
        // This machine's ffmpeg is the demo's too (a static build where none is installed): the
        // daemon learns its profile as it would a real install's.
        Config config = ConfigLoader.load(null, Map.of("FFDISPATCH_HOME", home.toString(),
            "FFDISPATCH_POLL_INTERVAL", "10s", "FFDISPATCH_POLL_TIMEOUT", "8s",
            "FFDISPATCH_LOCAL_FFMPEG", ffmpeg.toString())).config();
        Path identity = config.ssh().identities().get(0);
        KeyFiles.ensureIdentity(identity);
        PublicKey authorized = KeyFiles.publicKey(identity);
        List<LoopbackWorker> workers = new ArrayList<>();
        try {
            for (String name : NAMES) {
                workers.add(LoopbackWorker.start(name, home.resolve(name), authorized));
            }
            registerWorkers(config, workers, ffmpeg);
            try (Daemon daemon = Daemon.start(config)) {
                awaitHostsUp(daemon.store(), config);
                Path clip = makeClip(ffmpeg);
                // A run each time: a bare -version is a capability probe, answered from the worker's profile.
                long direct = medianMillis(List.of(ffmpeg.toString(), "-loglevel", "error", "-version"), Map.of());
                long viaShim = medianMillis(List.of(shim().toString(), "-loglevel", "error", "-version"), shimEnv(config));
                List<JobResult> jobs = burst(config, clip, ffmpeg);
                Map<String, Integer> placement = placement(daemon.store(), jobs);
                return new Report(jobs, placement, expectedPlacement(), direct, viaShim, ffmpeg.toString());
            }
        } finally {
            for (LoopbackWorker worker : workers) {
                closeQuietly(worker);
            }
        }
    }

    private void registerWorkers(Config config, List<LoopbackWorker> workers, Path ffmpeg) throws IOException {
        String user = System.getProperty("user.name");
        HostKeys keys = new HostKeys(config.state().knownHosts());
        try (Store store = Store.open(config.state())) {
            for (int i = 0; i < workers.size(); i++) {
                LoopbackWorker worker = workers.get(i);
                SshTarget target = new SshTarget(worker.name(), "127.0.0.1", worker.port(), user);
                keys.pin(target, worker.hostKey());
                store.addHost(new NewHost(worker.name(), "127.0.0.1", worker.port(), user, WEIGHTS[i], null,
                    ffmpeg.toString(), null, List.of(), null));
            }
        }
    }

    private static void awaitHostsUp(Store store, Config config) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            long up = store.hostEvents(null, 50).stream().filter(e -> "up".equals(e.to())).map(e -> e.host()).distinct().count();
            if (up >= NAMES.length) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("the demo workers did not come up within 30 s; run with -v to see the daemon log");
    }

    private Path makeClip(Path ffmpeg) throws IOException, InterruptedException, DemoException {
        Path clip = home.resolve("clip.mp4");
        int code = run(List.of(ffmpeg.toString(), "-hide_banner", "-loglevel", "error", "-y",
            "-f", "lavfi", "-i", "testsrc2=duration=" + CLIP_SECONDS + ":size=640x360:rate=" + CLIP_FPS,
            "-f", "lavfi", "-i", "sine=frequency=440:duration=" + CLIP_SECONDS,
            "-c:v", "mpeg4", "-q:v", "4", "-c:a", "aac", "-shortest", clip.toString()), Map.of(), null);
        if (code != 0 || !Files.exists(clip)) {
            throw new DemoException("could not generate the demo clip with " + ffmpeg + " (exit " + code
                + "); it lacks the lavfi test sources or the mpeg4/aac encoders: install Debian's ffmpeg"
                + " (apt-get install ffmpeg) and run the demo again");
        }
        return clip;
    }

    private List<JobResult> burst(Config config, Path clip, Path ffmpeg) throws Exception {
        List<Process> processes = new ArrayList<>();
        List<Long> starts = new ArrayList<>();
        Path shim = shim();
        for (int n = 1; n <= burst; n++) {
            Path out = Files.createDirectories(home.resolve("out").resolve("job" + n));
            // -re paces reading at the clip's own rate, like a client watching: the jobs overlap,
            // which is the situation where rffmpeg sent every stream to the same host.
            // -flags:v -global_header: the hls muxer asks for global headers, and mpeg4 then puts its
            // VOL header only there, which MPEG-TS segments cannot carry: players (and the check
            // below) would find no picture size. Without the flag each key frame carries it.
            List<String> command = List.of(shim.toString(), "-hide_banner", "-y", "-re", "-i", "file:" + clip,
                "-c:v", "mpeg4", "-q:v", "5", "-flags:v", "-global_header", "-c:a", "aac",
                "-f", "hls", "-hls_time", "1", "-hls_playlist_type", "vod",
                "-hls_segment_filename", out.resolve("seg%03d.ts").toString(), out.resolve("index.m3u8").toString());
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(home.resolve("out").resolve("job" + n + ".log").toFile());
            builder.environment().putAll(shimEnv(config));
            starts.add(System.nanoTime());
            processes.add(builder.start());
        }
        List<JobResult> results = new ArrayList<>();
        for (int n = 1; n <= burst; n++) {
            Process p = processes.get(n - 1);
            p.getOutputStream().close();
            if (!p.waitFor(JOB_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            long wall = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - starts.get(n - 1));
            Path playlist = home.resolve("out").resolve("job" + n).resolve("index.m3u8");
            results.add(new JobResult(n, null, p.isAlive() ? -1 : p.exitValue(), outputOk(playlist, ffmpeg), wall));
        }
        return results;
    }

    /**
     * A complete VOD playlist whose segments decode without error to about the clip's length.
     * ffmpeg itself decodes them (framecrc: one line per decoded video frame), so the check needs
     * no ffprobe, which the static build used on a machine without ffmpeg does not have.
     */
    private boolean outputOk(Path playlist, Path ffmpeg) throws IOException, InterruptedException {
        if (!Files.exists(playlist) || !Files.readString(playlist).contains("#EXT-X-ENDLIST")) {
            return false;
        }
        Path frames = Files.createTempFile(home, "frames", ".txt");
        int code = run(List.of(ffmpeg.toString(), "-nostdin", "-v", "error", "-xerror", "-i", playlist.toString(),
            "-map", "0:v:0", "-f", "framecrc", "-"), Map.of(), frames);
        long decoded;
        try (var lines = Files.lines(frames)) {
            decoded = lines.filter(l -> l.startsWith("0,")).count();
        }
        return code == 0 && decoded >= (long) (CLIP_SECONDS - 1) * CLIP_FPS;
    }

    private Map<String, Integer> placement(Store store, List<JobResult> jobs) throws InterruptedException {
        List<JobRecord> records = List.of();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) { // history is written asynchronously by the daemon
            records = store.jobs(200, null, false).stream().filter(r -> r.command().contains("/out/job")).toList();
            if (records.size() >= burst && records.stream().allMatch(r -> r.ended() != null)) {
                break;
            }
            Thread.sleep(50);
        }
        Map<String, Integer> placement = new LinkedHashMap<>();
        for (String name : NAMES) {
            placement.put(name, 0);
        }
        for (int i = 0; i < jobs.size(); i++) {
            JobResult job = jobs.get(i);
            String marker = "/out/job" + job.job() + "/";
            String host = records.stream().filter(r -> r.command().contains(marker)).map(JobRecord::host).findFirst().orElse("?");
            jobs.set(i, new JobResult(job.job(), host, job.exitCode(), job.outputOk(), job.wallMs()));
            placement.merge(host, 1, Integer::sum);
        }
        return placement;
    }

    /** What the ranking formula says for this burst, computed step by step for the report. */
    Map<String, Integer> expectedPlacement() {
        int[] active = new int[WEIGHTS.length];
        for (int n = 0; n < burst; n++) {
            int best = 0;
            for (int h = 1; h < WEIGHTS.length; h++) {
                long score = (active[h] * 1000L) / WEIGHTS[h] - WEIGHTS[h];
                long bestScore = (active[best] * 1000L) / WEIGHTS[best] - WEIGHTS[best];
                if (score < bestScore || (score == bestScore && WEIGHTS[h] > WEIGHTS[best])) {
                    best = h;
                }
            }
            active[best]++;
        }
        Map<String, Integer> expected = new LinkedHashMap<>();
        for (int h = 0; h < NAMES.length; h++) {
            expected.put(NAMES[h], active[h]);
        }
        return expected;
    }

    private long medianMillis(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            long t0 = System.nanoTime();
            run(command, env, null);
            times.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        }
        times.sort(null);
        return times.get(times.size() / 2);
    }

    private Map<String, String> shimEnv(Config config) {
        return Map.of("FFDISPATCH_SOCKET", config.daemon().socket().toString());
    }

    private static int run(List<String> command, Map<String, String> env, Path stdout) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD)
            .redirectOutput(stdout == null ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.to(stdout.toFile()));
        builder.environment().putAll(env);
        Process p = builder.start();
        p.getOutputStream().close();
        return p.waitFor(60, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }

    /** The shim launcher beside this jar: packaged layout first, then the source checkout. */
    static Path shim() throws IOException {
        try {
            Path code = Path.of(Demo.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path dir = code.getParent(); dir != null; dir = dir.getParent()) {
                Path candidate = dir.resolve("bin").resolve("ffmpeg");
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        } catch (URISyntaxException e) {
            throw new IOException("cannot locate the ffdispatch jar", e);
        }
        throw new IOException("bin/ffmpeg (the shim launcher) not found beside the ffdispatch jar; reinstall ffdispatch");
    }

    /** Prints the report as a table for people. */
    public static void printTable(Report report, PrintWriter out) {
        StringBuilder s = new StringBuilder();
        s.append("ffdispatch demo: ").append(report.jobs().size()).append(" simultaneous HLS transcodes, workers ")
            .append(NAMES[0]).append(" (weight ").append(WEIGHTS[0]).append(") and ").append(NAMES[1])
            .append(" (weight ").append(WEIGHTS[1]).append("), ffmpeg ").append(report.ffmpeg()).append("\n\n");
        s.append(String.format("%-4s %-10s %-5s %-9s %8s%n", "job", "host", "exit", "output", "wall_ms"));
        for (JobResult j : report.jobs()) {
            s.append(String.format("%-4d %-10s %-5d %-9s %8d%n", j.job(), j.host(), j.exitCode(), j.outputOk() ? "ok" : "BAD", j.wallMs()));
        }
        s.append("\nplacement ").append(report.placement()).append("  formula says ").append(report.expected())
            .append(report.placement().equals(report.expected()) ? "  (match)" : "  (MISMATCH)").append('\n');
        s.append(String.format("per-call: ffmpeg -loglevel error -version direct %d ms, through shim+daemon+SSH %d ms, overhead %d ms (median of 5)%n",
            report.directVersionMs(), report.shimVersionMs(), report.shimVersionMs() - report.directVersionMs()));
        s.append(report.ok() ? "result: OK\n" : "result: FAILED\n");
        out.print(s);
        out.flush();
    }

    private static void closeQuietly(LoopbackWorker worker) {
        try {
            worker.close();
        } catch (IOException e) {
            // stopping a loopback server: nothing left to clean up
        }
    }
}
