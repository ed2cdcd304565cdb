package dev.ffdispatch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ffdispatch daemon} as its own process, exactly what bin/ffdispatch execs
 * ({@code java -jar ffdispatch.jar daemon}, default JVM flags), so its CPU time and memory are
 * its own and not the in-process workers'. The launcher script itself is skipped: it would
 * rebuild the jar whenever a bench source is newer than it.
 */
final class DaemonProcess implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern HEAP_USED = Pattern.compile("total \\d+K, used (\\d+)K");

    private final Process process;
    final BenchHome home;
    final Path log;

    private DaemonProcess(Process process, BenchHome home, Path log) {
        this.process = process;
        this.home = home;
        this.log = log;
    }

    static DaemonProcess start(Path jar, BenchHome home) throws IOException, InterruptedException {
        Path log = home.dir.resolve("daemon.log");
        ProcessBuilder builder = new ProcessBuilder(javaBinary(), "-jar", jar.toString(), "daemon")
            .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(home.env);
        DaemonProcess daemon = new DaemonProcess(builder.start(), home, log);
        try {
            daemon.awaitSocket();
        } catch (IOException | RuntimeException e) {
            daemon.close();
            throw e;
        }
        return daemon;
    }

    static String javaBinary() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    long pid() {
        return process.pid();
    }

    Path socket() {
        return home.socket();
    }

    JsonNode status() throws IOException {
        return SocketJobs.status(socket(), CALL_TIMEOUT);
    }

    /** Waits until {@code count} hosts are up in the daemon's own view (its STATUS reply). */
    void awaitHostsUp(int count) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        int up = 0;
        while (System.nanoTime() < deadline) {
            up = 0;
            for (JsonNode host : status().get("hosts")) {
                up += "up".equals(host.get("state").asText()) ? 1 : 0;
            }
            if (up >= count) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IOException("only " + up + " of " + count + " hosts came up within " + START_TIMEOUT
            + "; see " + log);
    }

    /**
     * Waits until the daemon knows the capability profile of this machine and of every host (its
     * STATUS reply shows them), so probes are answered from them rather than run.
     */
    void awaitProfiles() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode status = status();
            boolean all = status.path("local").path("profile").isObject();
            for (JsonNode host : status.get("hosts")) {
                all &= host.path("profile").isObject() && host.path("profile").path("hwaccels").isArray();
            }
            if (all) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IOException("the daemon learned no capability profile within " + START_TIMEOUT + "; see " + log);
    }

    /** Live jobs per host name, from the STATUS reply. */
    java.util.Map<String, Integer> ownJobs() throws IOException {
        java.util.Map<String, Integer> own = new java.util.TreeMap<>();
        for (JsonNode host : status().get("hosts")) {
            own.put(host.get("name").asText(), host.get("own").asInt());
        }
        return own;
    }

    int liveJobs() throws IOException {
        return status().get("jobs").size();
    }

    long rssKb() throws IOException {
        return Procs.status(pid(), "VmRSS");
    }

    long threads() throws IOException {
        return Procs.status(pid(), "Threads");
    }

    long cpuMillis() throws IOException {
        return Procs.cpuMillis(pid());
    }

    /** Heap in use right after a full GC (jcmd GC.run, then GC.heap_info), in kB. */
    long heapAfterGcKb() throws IOException, InterruptedException {
        String jcmd = Path.of(javaBinary()).resolveSibling("jcmd").toString();
        Procs.run(CALL_TIMEOUT, jcmd, String.valueOf(pid()), "GC.run");
        String info = Procs.run(CALL_TIMEOUT, jcmd, String.valueOf(pid()), "GC.heap_info");
        Matcher m = HEAP_USED.matcher(info);
        if (!m.find()) {
            throw new IOException("no 'total NK, used NK' in jcmd GC.heap_info output: " + info);
        }
        return Long.parseLong(m.group(1));
    }

    private void awaitSocket() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        IOException last = null;
        while (System.nanoTime() < deadline && process.isAlive()) {
            if (Files.exists(socket())) {
                try {
                    status();
                    return;
                } catch (IOException e) {
                    last = e; // socket file there, not accepting yet
                }
            }
            Thread.sleep(50);
        }
        throw new IOException("daemon did not answer on " + socket() + " within " + START_TIMEOUT + " (alive="
            + process.isAlive() + ", last error " + last + "); its log " + log + ":\n" + tail());
    }

    private String tail() throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }

    /** SIGTERM (the daemon's graceful stop), then SIGKILL if it has not exited within 20 s. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
