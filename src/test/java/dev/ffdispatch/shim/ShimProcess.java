package dev.ffdispatch.shim;

import dev.ffdispatch.TestTimeouts;
import dev.ffdispatch.posix.NamedThreads;
import dev.ffdispatch.posix.PosixShell;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test fixture: one call of a shim client (the Java shim or the native client, see
 * {@link ShimClient}) the way Jellyfin makes it, as a child process of its own: stdin a pipe,
 * stdout and stderr captured separately, byte-exact and readable while it runs. The shim tests
 * start a client with exact argument bytes ({@link #start(ShimClient, byte[], List, Map, byte[])}),
 * the daemon tests start it against a daemon's socket ({@link #client}), the system suite runs the
 * real launchers ({@link #launcher}).
 */
public final class ShimProcess implements AutoCloseable {
    /** Launcher calls so far: they take turns in pairs between the two clients. */
    private static final AtomicInteger LAUNCHER_CALLS = new AtomicInteger();

    private final Process process;
    private final ByteArrayOutputStream stdoutSoFar = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderrSoFar = new ByteArrayOutputStream();
    private final CompletableFuture<Void> stdoutDone;
    private final CompletableFuture<Void> stderrDone;

    private ShimProcess(Process process) {
        this.process = process;
        this.stdoutDone = drain(process.getInputStream(), stdoutSoFar, "shim-stdout");
        this.stderrDone = drain(process.getErrorStream(), stderrSoFar, "shim-stderr");
    }

    /** Starts {@code builder} and captures its output. */
    public static ShimProcess start(ProcessBuilder builder) throws IOException {
        return new ShimProcess(builder.start());
    }

    /**
     * Starts {@code client argv0 args...} with {@code env} added to a minimal environment, in
     * {@code cwd} (raw bytes; null keeps the test's directory). A null {@code argv0} starts the
     * client without one, as a broken launcher would. The command goes through {@code /bin/sh}
     * with printf-octal words, the only way to hand a child argument bytes that are not valid UTF-8.
     */
    public static ShimProcess start(ShimClient client, byte[] argv0, List<byte[]> args, Map<String, String> env,
                                    byte[] cwd) throws IOException {
        List<byte[]> words = new ArrayList<>();
        for (String fixed : client.command()) {
            words.add(fixed.getBytes(StandardCharsets.UTF_8));
        }
        if (argv0 != null) {
            words.add(argv0);
        }
        words.addAll(args);
        String command = PosixShell.command("exec", words, true);
        if (cwd != null) {
            command = PosixShell.command("cd", List.of(cwd), true) + " && " + command;
        }
        ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", command);
        builder.environment().clear();
        builder.environment().put("PATH", "/usr/bin:/bin");
        builder.environment().putAll(client.environment());
        builder.environment().putAll(env);
        return start(builder);
    }

    public static ShimProcess start(ShimClient client, String argv0, Map<String, String> env, String... args)
            throws IOException {
        List<byte[]> bytes = new ArrayList<>();
        for (String arg : args) {
            bytes.add(arg.getBytes(StandardCharsets.UTF_8));
        }
        return start(client, argv0.getBytes(StandardCharsets.UTF_8), bytes, env, null);
    }

    /** {@code client} as {@code argv0 args...}, talking to the daemon on {@code socket}, with {@code env} added. */
    public static ShimProcess client(ShimClient client, Path socket, Path workingDirectory, String argv0,
                                     List<String> args, Map<String, String> env) throws IOException {
        List<String> command = new ArrayList<>(client.command());
        command.add(argv0);
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        if (workingDirectory != null) {
            builder.directory(workingDirectory.toFile());
        }
        builder.environment().put("FFDISPATCH_SOCKET", socket.toString());
        builder.environment().putAll(client.environment());
        builder.environment().putAll(env);
        return start(builder);
    }

    /**
     * The real launcher ({@code bin/ffmpeg} or {@code bin/ffprobe}), as Jellyfin runs it. Calls
     * take turns in pairs between the native client and the Java shim (FFDISPATCH_CLIENT), so every
     * scenario runs both, and alternating ffmpeg/ffprobe calls still meet each client.
     */
    public static ShimProcess launcher(Path launcher, Path socket, Path workingDirectory, List<String> args)
        throws IOException {
        List<String> command = new ArrayList<>();
        command.add(launcher.toString());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile());
        builder.environment().put("FFDISPATCH_SOCKET", socket.toString());
        builder.environment().put("FFDISPATCH_SHIM_ENV", "/dev/null"); // not this machine's /etc/ffdispatch/shim.env
        builder.environment().put("FFDISPATCH_CLIENT", LAUNCHER_CALLS.getAndIncrement() / 2 % 2 == 0 ? "native" : "java");
        return start(builder);
    }

    public Process process() {
        return process;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public OutputStream stdin() {
        return process.getOutputStream();
    }

    public void writeStdin(String text) throws IOException {
        process.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().flush();
    }

    public void closeStdin() throws IOException {
        process.getOutputStream().close();
    }

    /** Waits {@link TestTimeouts#MEDIUM} for the exit. */
    public int waitFor() throws InterruptedException {
        return waitFor(TestTimeouts.MEDIUM);
    }

    /**
     * The exit code once the shim has ended and all its output is read. When it does not end in
     * time, it is killed and the test fails with what it wrote to stderr.
     */
    public int waitFor(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("shim did not exit within " + timeout + "; stderr so far: " + stderrText());
        }
        stdoutDone.join();
        stderrDone.join();
        return process.exitValue();
    }

    /** Everything on stdout so far (all of it after {@link #waitFor}). */
    public byte[] stdout() {
        synchronized (stdoutSoFar) {
            return stdoutSoFar.toByteArray();
        }
    }

    public String stdoutText() {
        return new String(stdout(), StandardCharsets.UTF_8);
    }

    /** Everything on stderr so far (all of it after {@link #waitFor}). */
    public byte[] stderr() {
        synchronized (stderrSoFar) {
            return stderrSoFar.toByteArray();
        }
    }

    public String stderrText() {
        return new String(stderr(), StandardCharsets.UTF_8);
    }

    /** Waits until stderr contains {@code text}; false on timeout or when the shim ended without writing it. */
    public boolean awaitStderr(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (stderrText().contains(text)) {
                return true;
            }
            if (!process.isAlive()) {
                stderrDone.join();
                return stderrText().contains(text);
            }
            Thread.sleep(20);
        }
        return false;
    }

    /** SIGKILL, as Jellyfin does 5 s after 'q' (the launcher exec'd the client: this is the shim itself). */
    public void kill9() {
        process.destroyForcibly();
    }

    @Override
    public void close() {
        kill9();
    }

    private static CompletableFuture<Void> drain(InputStream in, ByteArrayOutputStream out, String name) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        NamedThreads.start(name, () -> {
            byte[] buffer = new byte[65536];
            try (in) {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    synchronized (out) {
                        out.write(buffer, 0, n);
                    }
                }
            } catch (IOException e) {
                // killed: keep what came
            }
            done.complete(null);
        });
        return done;
    }
}
