package dev.ffdispatch.bench;

import dev.ffdispatch.ssh.KeyFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Runs the benchmark tables in one JVM, one after the other, on stdout. Usage (bench/run does
 * this after building): {@code java -cp target/classes:target/test-classes:$(cat target/bench.cp)
 * dev.ffdispatch.bench.Bench [--quick] [--keep] [latency] [sshexec] [placement] [scale] [throughput] [client] [shared]
 * [probe]}.
 * Without names, all tables run. A section that fails prints why in place of its table and the
 * next one runs; the exit code is 0 only when every table was produced with every row.
 */
public final class Bench {
    static final List<String> SECTIONS = List.of("latency", "sshexec", "placement", "scale", "throughput", "client", "shared",
        "probe");
    /** The titles of the tables, for a section that could not produce its own. */
    private static final Map<String, String> TITLES = Map.of("latency", "1. Per-call latency",
        "sshexec", "SSH exec: the daemon's SshPool running `true`", "placement", "2. Burst placement",
        "scale", "3. 100 workers (poll cycle, decision latency, daemon process)", "throughput",
        "4. Binary stdout throughput", "client", "6. Per-call cost through each client",
        "shared", "7. Decision latency, SQLite vs PostgreSQL shared by 1/2/4 servers",
        "probe", "8. Worker probes: exec per probe vs the worker link");

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        boolean quick = Arrays.asList(args).contains("--quick");
        boolean keep = Arrays.asList(args).contains("--keep");
        Set<String> chosen = new LinkedHashSet<>();
        for (String a : args) {
            if (!a.startsWith("--")) {
                if (!SECTIONS.contains(a)) {
                    throw new IllegalArgumentException("unknown section '" + a + "'; choose from " + SECTIONS);
                }
                chosen.add(a);
            }
        }
        if (chosen.isEmpty()) {
            chosen.addAll(SECTIONS);
        }
        Path repo = Path.of("").toAbsolutePath();
        Path jar = repo.resolve("target/ffdispatch.jar");
        if (!Files.isRegularFile(jar) || !Files.isExecutable(repo.resolve("bin/ffmpeg"))) {
            throw new IllegalStateException("run from the checkout after mvn -q -DskipTests package (no " + jar
                + " or bin/ffmpeg here); bench/run does both");
        }
        // Every login user must reach the clip and the scratch files: 0755, not mkdtemp's 0700.
        Path work = Files.createTempDirectory(Path.of("/tmp"), "ffdispatch-bench-",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Path identity = work.resolve("id_ed25519");
        KeyFiles.ensureIdentity(identity);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        BenchContext ctx = new BenchContext(repo, jar, work, identity, KeyFiles.publicKey(identity), quick, out,
            new ArrayList<>());
        List<String> notProduced = new ArrayList<>();
        for (String section : chosen) {
            long t0 = System.nanoTime();
            try {
                runSection(ctx, section);
            } catch (Exception | Error e) {
                notProduced.add(section);
                System.err.println("bench: " + section + " failed:");
                e.printStackTrace(System.err); // the bench log
                out.println("== " + TITLES.get(section) + ": NOT PRODUCED");
                out.println("   why: " + e);
                out.println("   (stack trace in the bench log; the run goes on with the next table)");
                out.println();
            }
            System.err.printf("bench: %s took %d s%n", section, (System.nanoTime() - t0) / 1_000_000_000L);
        }
        boolean complete = notProduced.isEmpty() && ctx.failures().isEmpty();
        if (complete && !keep) {
            deleteTree(work);
        } else {
            System.err.println("bench: scratch files (daemon logs, sshd logs) kept in " + work);
        }
        if (!complete) {
            out.println("bench: NOT every table is complete: not produced " + notProduced + ", rows failed "
                + ctx.failures());
        }
        out.flush();
        System.exit(complete ? 0 : 1); // exit in any case: MINA and JDK helper threads must not keep the bench alive
    }

    private static void runSection(BenchContext ctx, String section) throws Exception {
        switch (section) {
            case "latency" -> new LatencyBench(ctx).run();
            case "sshexec" -> new SshExecBench(ctx).run();
            case "placement" -> new PlacementBench(ctx).run();
            case "scale" -> new ScaleBench(ctx).run();
            case "throughput" -> new ThroughputBench(ctx).run();
            case "client" -> new ClientBench(ctx).run();
            case "probe" -> new ProbeBench(ctx).run();
            case "shared" -> new SharedStateBench(ctx).run();
            default -> throw new IllegalArgumentException(section);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
