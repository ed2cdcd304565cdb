package dev.ffdispatch.system;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One call of the real launcher ({@code bin/ffmpeg} or {@code bin/ffprobe}) the way Jellyfin
 * makes it: its own process, stdin a pipe, stdout and stderr captured separately. Calls take
 * turns in pairs between the native client and the Java shim (FFDISPATCH_CLIENT), so every
 * scenario runs both, and alternating ffmpeg/ffprobe calls still meet each client.
 */
final class ShimRun implements AutoCloseable {
    private static final AtomicInteger CALLS = new AtomicInteger();

    private final Process process;
    private final ByteArrayOutputStream stdoutSoFar = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderrSoFar = new ByteArrayOutputStream();
    private final CompletableFuture<Void> stdoutDone;
    private final CompletableFuture<Void> stderrDone;

    private ShimRun(Process process) {
        this.process = process;
        this.stdoutDone = drain(process.getInputStream(), stdoutSoFar);
        this.stderrDone = drain(process.getErrorStream(), stderrSoFar);
    }

    static ShimRun start(Path launcher, Path socket, Path cwd, List<String> args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(launcher.toString());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(cwd.toFile());
        builder.environment().put("FFDISPATCH_SOCKET", socket.toString());
        builder.environment().put("FFDISPATCH_SHIM_ENV", "/dev/null"); // not this machine's /etc/ffdispatch/shim.env
        builder.environment().put("FFDISPATCH_CLIENT", CALLS.getAndIncrement() / 2 % 2 == 0 ? "native" : "java");
        return new ShimRun(builder.start());
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL, as Jellyfin does 5 s after 'q' (the launcher exec'd the client: this is the shim itself). */
    void kill9() {
        process.destroyForcibly();
    }

    void closeStdin() throws IOException {
        process.getOutputStream().close();
    }

    /** The exit code, or -1 when it did not exit in time (the process is then left running). */
    int waitFor(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return -1;
        }
        stdoutDone.join();
        stderrDone.join();
        return process.exitValue();
    }

    byte[] stdout() {
        synchronized (stdoutSoFar) {
            return stdoutSoFar.toByteArray();
        }
    }

    String stderr() {
        synchronized (stderrSoFar) {
            return stderrSoFar.toString(StandardCharsets.UTF_8);
        }
    }

    /** Waits until stderr contains {@code text}; false on timeout or when the shim ended first. */
    boolean awaitStderr(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (stderr().contains(text)) {
                return true;
            }
            if (!process.isAlive()) {
                stderrDone.join();
                return stderr().contains(text);
            }
            Thread.sleep(20);
        }
        return false;
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

    private static CompletableFuture<Void> drain(InputStream in, ByteArrayOutputStream out) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread t = new Thread(() -> {
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
        }, "shim-drain");
        t.setDaemon(true);
        t.start();
        return done;
    }
}
