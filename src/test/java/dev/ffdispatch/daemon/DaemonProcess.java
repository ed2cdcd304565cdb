package dev.ffdispatch.daemon;

import dev.ffdispatch.config.ConfigLoader;
import dev.ffdispatch.daemon.StatusReply.HostStatus;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Test fixture: {@code ffdispatch daemon} as its own process, what bin/ffdispatch execs
 * ({@code java -jar ffdispatch.jar daemon}, default JVM flags), so a SIGKILL is a real one and
 * its CPU time and memory are its own. The launcher script is skipped: it would rebuild the jar
 * whenever a test source is newer. Its state is read as an operator reads it: the STATUS reply.
 * Each start appends to {@code daemon-<n>.log} in the home. Used by the system suite and the bench.
 */
public final class DaemonProcess implements AutoCloseable {
    private final Path jar;
    private final Path home;
    private final Map<String, String> env;
    private final Path socket;
    private Process process;
    private int starts;

    /** A daemon configured by {@code env} (FFDISPATCH_* variables), its logs in {@code home}; not started yet. */
    public DaemonProcess(Path jar, Path home, Map<String, String> env) {
        this.jar = jar;
        this.home = home;
        this.env = Map.copyOf(env);
        this.socket = ConfigLoader.load(null, this.env).config().daemon().socket();
    }

    public Path socket() {
        return socket;
    }

    /** Starts the daemon and waits until its socket answers STATUS. */
    public void start(Duration timeout) throws IOException, InterruptedException {
        starts++;
        ProcessBuilder builder = new ProcessBuilder(javaBinary(), "-jar", jar.toString(), "daemon");
        builder.environment().putAll(env);
        builder.redirectErrorStream(true);
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()));
        builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        process = builder.start();
        long deadline = System.nanoTime() + timeout.toNanos();
        StatusClient.Answer answer = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("daemon exited " + process.exitValue() + " at start; log " + logFile() + ":\n" + tail());
            }
            answer = StatusClient.ask(socket, StatusClient.TIMEOUT);
            if (answer.up()) {
                return;
            }
            Thread.sleep(50); // not listening yet
        }
        close();
        throw new IOException("daemon did not answer on " + socket + " within " + timeout + " ("
            + (answer == null ? "never asked" : answer.problem()) + "); log " + logFile() + ":\n" + tail());
    }

    public long pid() {
        return process.pid();
    }

    /** SIGKILL: no shutdown hook, no chance to end jobs or write history. */
    public void kill9(Duration timeout) throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("daemon pid " + process.pid() + " still alive " + timeout + " after SIGKILL");
        }
    }

    /** The daemon's live status, as {@code ffdispatch status} gets it. */
    public StatusReply status() throws IOException {
        StatusClient.Answer answer = StatusClient.ask(socket, StatusClient.TIMEOUT);
        if (!answer.up()) {
            throw new IOException(answer.problem());
        }
        return answer.reply();
    }

    /** The host as the daemon lists it. */
    public Optional<HostStatus> host(String name) throws IOException {
        return status().hosts().stream().filter(h -> h.name().equals(name)).findFirst();
    }

    /**
     * Waits until {@code count} hosts are up and the balancer may choose them: the poller's state
     * changes first, the balancer hears of it a moment later.
     */
    public void awaitHostsUp(int count, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long up = 0;
        while (System.nanoTime() < deadline) {
            up = status().hosts().stream().filter(h -> "up".equals(h.state()) && Boolean.TRUE.equals(h.eligible())).count();
            if (up >= count) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IOException("only " + up + " of " + count + " hosts came up within " + timeout + "; see " + logFile());
    }

    /**
     * Waits until the daemon knows the capability profile of this machine's ffmpeg and of every
     * host's (its status shows them), so capability probes are answered rather than run.
     */
    public void awaitProfiles(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            StatusReply status = status();
            if (status.local() != null && status.local().profile() != null
                && status.hosts().stream().allMatch(h -> h.profile() != null && h.profile().hwaccels() != null)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IOException("the daemon learned no capability profile within " + timeout + "; see " + logFile());
    }

    /** The log of the current (last) start. */
    public Path logFile() {
        return home.resolve("daemon-" + starts + ".log");
    }

    /** Every log line of every start so far. */
    public String log() {
        StringBuilder all = new StringBuilder();
        for (int i = 1; i <= starts; i++) {
            Path file = home.resolve("daemon-" + i + ".log");
            try {
                all.append(Files.readString(file));
            } catch (IOException e) {
                all.append("(no log ").append(file).append(")\n");
            }
        }
        return all.toString();
    }

    private String tail() {
        List<String> lines = log().lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }

    public static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** SIGTERM (the daemon's graceful stop), then SIGKILL if it has not ended within 20 s. */
    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }
}
