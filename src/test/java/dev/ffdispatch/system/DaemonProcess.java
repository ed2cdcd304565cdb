package dev.ffdispatch.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ffdispatch.protocol.ChannelStreams;
import dev.ffdispatch.protocol.Frame;
import dev.ffdispatch.protocol.FrameCodec;
import dev.ffdispatch.protocol.FrameType;
import java.io.IOException;
import java.io.InputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real daemon as its own process ({@code java -jar ffdispatch.jar daemon}), so that a
 * SIGKILL is a real one. Each start appends to {@code daemon-<n>.log} in the home. Also used by
 * the shared-state tests (two daemons on one PostgreSQL).
 */
public final class DaemonProcess implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path jar;
    private final Path home;
    private final Map<String, String> env;
    private Process process;
    private int starts;

    public DaemonProcess(Path jar, Path home, Map<String, String> env) {
        this.jar = jar;
        this.home = home;
        this.env = Map.copyOf(env);
    }

    public Path socket() {
        return home.resolve("ffdispatch.sock");
    }

    /** Starts the daemon and waits until its socket answers a status request. */
    public void start(Duration timeout) throws IOException, InterruptedException {
        starts++;
        ProcessBuilder builder = new ProcessBuilder(javaBinary(), "-jar", jar.toString(), "daemon");
        builder.environment().putAll(env);
        builder.redirectErrorStream(true);
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile(starts).toFile()));
        builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        process = builder.start();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("daemon exited " + process.exitValue() + " at start; log: " + log());
            }
            try {
                status();
                return;
            } catch (IOException e) {
                Thread.sleep(100); // not listening yet
            }
        }
        throw new IOException("daemon did not answer on " + socket() + " within " + timeout + "; log: " + log());
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

    /** The daemon's live status (the STATUS frame {@code ffdispatch status} uses). */
    public JsonNode status() throws IOException {
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket()))) {
            FrameCodec.write(ChannelStreams.out(channel), FrameType.STATUS, new byte[0], 0, 0);
            InputStream in = ChannelStreams.in(channel);
            for (Frame frame = FrameCodec.read(in); frame != null; frame = FrameCodec.read(in)) {
                if (frame.type() == FrameType.STATUS_REPLY) {
                    return JSON.readTree(frame.payload());
                }
            }
            throw new IOException("daemon closed the status connection without a reply");
        }
    }

    /** The host's entry in the status, or null when the daemon does not list it. */
    public JsonNode host(String name) throws IOException {
        for (JsonNode h : status().path("hosts")) {
            if (name.equals(h.path("name").asText())) {
                return h;
            }
        }
        return null;
    }

    public String hostState(String name) throws IOException {
        JsonNode h = host(name);
        return h == null ? "absent" : h.path("state").asText();
    }

    /** Every log line of every start so far. */
    public String log() {
        StringBuilder all = new StringBuilder();
        for (int i = 1; i <= starts; i++) {
            try {
                all.append(Files.readString(logFile(i)));
            } catch (IOException e) {
                all.append("(no log ").append(logFile(i)).append(")\n");
            }
        }
        return all.toString();
    }

    List<String> logLines() {
        return log().lines().toList();
    }

    private Path logFile(int n) {
        return home.resolve("daemon-" + n + ".log");
    }

    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** SIGTERM (graceful stop), then SIGKILL if it does not end in time. */
    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }
}
