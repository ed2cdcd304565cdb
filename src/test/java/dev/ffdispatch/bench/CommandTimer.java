package dev.ffdispatch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Wall time of whole commands: hyperfine when installed (-N: no shell in between), otherwise a
 * loop of our own with the same warm-up and run counts. Output goes to /dev/null either way.
 */
final class CommandTimer {
    private static final Duration PER_RUN_LIMIT = Duration.ofSeconds(60);

    private final Path scratch;
    final int warmup;
    final int runs;
    private final boolean hyperfine;

    CommandTimer(Path scratch, int warmup, int runs) {
        this.scratch = scratch;
        this.warmup = warmup;
        this.runs = runs;
        this.hyperfine = onPath("hyperfine");
    }

    String tool() {
        return hyperfine ? "hyperfine -N" : "own loop (hyperfine not installed)";
    }

    /** Milliseconds per run. */
    Stats time(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        return hyperfine ? viaHyperfine(command, env) : viaLoop(command, env);
    }

    private Stats viaHyperfine(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        Path json = Files.createTempFile(scratch, "hyperfine", ".json");
        List<String> cmd = List.of("hyperfine", "-N", "--style", "none", "--warmup", String.valueOf(warmup),
            "--runs", String.valueOf(runs), "--export-json", json.toString(), "--", shellWords(command));
        Procs.run(PER_RUN_LIMIT.multipliedBy(warmup + runs), env, cmd);
        JsonNode times = new ObjectMapper().readTree(json.toFile()).get("results").get(0).get("times");
        double[] ms = new double[times.size()];
        for (int i = 0; i < ms.length; i++) {
            ms[i] = times.get(i).asDouble() * 1000;
        }
        return Stats.of(ms);
    }

    private Stats viaLoop(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < warmup + runs; i++) {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectInput(new File("/dev/null"));
            builder.environment().putAll(env);
            long t0 = System.nanoTime();
            Process p = builder.start();
            if (!p.waitFor(PER_RUN_LIMIT.toMillis(), TimeUnit.MILLISECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " failed or took longer than " + PER_RUN_LIMIT);
            }
            if (i >= warmup) {
                ms.add((System.nanoTime() - t0) / 1e6);
            }
        }
        return Stats.of(ms);
    }

    /** hyperfine -N splits its command with shell-word rules: quote every word. */
    static String shellWords(List<String> command) {
        StringBuilder s = new StringBuilder();
        for (String word : command) {
            s.append(s.length() == 0 ? "" : " ").append('\'').append(word.replace("'", "'\\''")).append('\'');
        }
        return s.toString();
    }

    static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
