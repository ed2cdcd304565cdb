package dev.ffdispatch.bench;

import dev.ffdispatch.daemon.DaemonProcess;
import dev.ffdispatch.daemon.SocketJobs;
import dev.ffdispatch.demo.LoopbackWorker;
import dev.ffdispatch.protocol.Tool;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

/**
 * Table 4: binary stdout throughput of a 64 MiB file. The workers' "ffmpeg" is /bin/cat, so
 * {@code bin/ffmpeg <file>} streams the file through worker, SSH, daemon and shim; every variant's
 * stdout is read by this JVM through a pipe and checked byte for byte (length and CRC-32).
 */
final class ThroughputBench {
    private static final int SIZE = 64 << 20;
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private final BenchContext ctx;
    private final int runs;

    ThroughputBench(BenchContext ctx) {
        this.ctx = ctx;
        this.runs = ctx.pick(3, 7);
    }

    /** One way of producing the file on stdout; returns what arrived. */
    private interface Variant {
        Received stream() throws IOException, InterruptedException;
    }

    /** Bytes that arrived on stdout and their CRC-32. */
    private record Received(long bytes, long crc) {
    }

    /** Counts and checksums what passes through. */
    private static final class Check extends OutputStream {
        final CRC32 crc = new CRC32();
        long bytes;

        @Override
        public void write(int b) {
            crc.update(b);
            bytes++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            crc.update(b, off, len);
            bytes += len;
        }

        Received received() {
            return new Received(bytes, crc.getValue());
        }
    }

    void run() throws Exception {
        Path file = ctx.work().resolve("stream.bin");
        byte[] data = new byte[SIZE];
        new Random(42).nextBytes(data); // incompressible, like video
        Files.write(file, data);
        CRC32 crc = new CRC32();
        crc.update(data);
        long expected = crc.getValue();
        String user = Sshd.workerUser();
        try (Sshd sshd = Sshd.start(ctx.dir("tp-sshd"), ctx.clientKey(), List.of());
             LoopbackWorker mina = LoopbackWorker.start("mina", ctx.dir("tp-mina-worker"), ctx.clientKey())) {
            BenchHome minaHome = new BenchHome(ctx.dir("tp-mina"), ctx.identity(), Map.of());
            minaHome.addHost("mina", mina.port(), System.getProperty("user.name"), 1, "/bin/cat", mina.hostKey());
            BenchHome sshHome = new BenchHome(ctx.dir("tp-openssh"), ctx.identity(), Map.of());
            sshHome.addHost("openssh", sshd.port, user, 1, "/bin/cat", sshd.hostKey);
            try (DaemonProcess viaMina = minaHome.startDaemon(ctx.jar());
                 DaemonProcess viaSsh = sshHome.startDaemon(ctx.jar())) {
                viaMina.awaitHostsUp(1, BenchHome.START_TIMEOUT);
                viaSsh.awaitHostsUp(1, BenchHome.START_TIMEOUT);
                List<String> labels = new ArrayList<>();
                List<Variant> variants = new ArrayList<>();
                labels.add("local cat");
                variants.add(() -> command(List.of("cat", file.toString()), Map.of()));
                labels.add("ssh " + user + "@127.0.0.1 cat (new connection)");
                variants.add(() -> command(ctx.ssh(sshd, user, List.of(), "cat", file.toString()), Map.of()));
                labels.add("ssh cat, warm ControlMaster");
                variants.add(() -> command(ctx.ssh(sshd, user, ctx.controlMaster("tp"), "cat", file.toString()), Map.of()));
                labels.add("ffdispatch shim -> daemon -> MINA worker");
                variants.add(() -> command(List.of(ctx.shim("ffmpeg"), file.toString()),
                    Map.of("FFDISPATCH_SOCKET", viaMina.socket().toString())));
                labels.add("ffdispatch shim -> daemon -> OpenSSH worker");
                variants.add(() -> command(List.of(ctx.shim("ffmpeg"), file.toString()),
                    Map.of("FFDISPATCH_SOCKET", viaSsh.socket().toString())));
                labels.add("daemon only, in-JVM socket client -> MINA worker");
                variants.add(() -> socket(viaMina, file));
                labels.add("daemon only, in-JVM socket client -> OpenSSH worker");
                variants.add(() -> socket(viaSsh, file));
                measure(labels, variants, expected);
            } finally {
                ctx.stopControlMaster(sshd, user, "tp");
            }
        }
    }

    private void measure(List<String> labels, List<Variant> variants, long expected) throws Exception {
        List<List<Double>> mbps = new ArrayList<>();
        int[] exact = new int[variants.size()];
        variants.forEach(v -> mbps.add(new ArrayList<>()));
        for (Variant v : variants) {
            v.stream(); // warm-up: page cache, JIT, ControlMaster, class-data archive
        }
        for (int r = 0; r < runs; r++) { // variants take turns: noise hits all of them alike
            for (int i = 0; i < variants.size(); i++) {
                long t0 = System.nanoTime();
                Received got = variants.get(i).stream();
                mbps.get(i).add(got.bytes() / ((System.nanoTime() - t0) / 1e9) / 1e6);
                if (got.bytes() == SIZE && got.crc() == expected) {
                    exact[i]++;
                } else {
                    System.err.printf("bench: %s: got %d bytes, CRC-32 %x; expected %d bytes, %x%n", labels.get(i),
                        got.bytes(), got.crc(), SIZE, expected);
                }
            }
        }
        Table table = new Table("4. Binary stdout throughput, 64 MiB file (MB/s = 10^6 bytes/s)",
            "median of " + runs + " runs each after 1 warm-up, variants in turn; stdout read through a pipe by the bench"
                + " JVM; exact = runs whose stdout had the file's length and CRC-32; workers run /bin/cat as their ffmpeg",
            "variant", "MB/s median", "min", "vs local cat", "exact runs");
        double local = Stats.of(mbps.get(0)).median();
        for (int i = 0; i < variants.size(); i++) {
            Stats s = Stats.of(mbps.get(i));
            table.row(labels.get(i), s.median(), s.min(), Table.ratio(s.median(), local), exact[i] + "/" + runs);
        }
        table.note("MB/s counts the bytes that arrived; every row must read N/N exact (a short or changed stdout is a bug).");
        table.print(ctx.out());
    }

    private static Received command(List<String> command, Map<String, String> env)
        throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD)
            .redirectInput(new File("/dev/null"));
        builder.environment().putAll(env);
        Process p = builder.start();
        Check check = new Check();
        try (InputStream in = p.getInputStream()) {
            in.transferTo(check);
        }
        if (!p.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " failed (exit " + (p.isAlive() ? "none" : p.exitValue()) + ")");
        }
        return check.received();
    }

    private static Received socket(DaemonProcess daemon, Path file) throws IOException {
        Check check = new Check();
        int code = SocketJobs.run(daemon.socket(), Tool.FFMPEG, List.of(file.toString()), check, TIMEOUT);
        if (code != 0) {
            throw new IOException("cat via " + daemon.socket() + " exited with " + code + "; see " + daemon.logFile());
        }
        return check.received();
    }
}
