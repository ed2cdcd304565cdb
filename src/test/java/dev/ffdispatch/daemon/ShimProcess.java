package dev.ffdispatch.daemon;

import dev.ffdispatch.shim.ShimClient;
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

/**
 * A real shim client as a child process, the way Jellyfin runs it: its own process (a JVM for
 * the Java shim), stdin a pipe, stdout and stderr captured separately and byte-exact.
 */
final class ShimProcess implements AutoCloseable {
    private final Process process;
    private final ByteArrayOutputStream stderrSoFar = new ByteArrayOutputStream();
    private final CompletableFuture<byte[]> stdout;
    private final CompletableFuture<byte[]> stderr;

    private ShimProcess(Process process) {
        this.process = process;
        this.stdout = drain(process.getInputStream(), new ByteArrayOutputStream());
        this.stderr = drain(process.getErrorStream(), stderrSoFar);
    }

    /** Starts {@code argv0 args...} through {@code client}, connecting to {@code socket}. */
    static ShimProcess start(ShimClient client, Path socket, Path workingDirectory, String argv0, List<String> args)
            throws IOException {
        return start(client, socket, workingDirectory, argv0, args, Map.of());
    }

    static ShimProcess start(ShimClient client, Path socket, Path workingDirectory, String argv0, List<String> args,
                             Map<String, String> env) throws IOException {
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
        return new ShimProcess(builder.start());
    }

    OutputStream stdin() {
        return process.getOutputStream();
    }

    void writeStdin(String text) throws IOException {
        process.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().flush();
    }

    void closeStdin() throws IOException {
        process.getOutputStream().close();
    }

    Process process() {
        return process;
    }

    /** Waits for the exit; fails the test (IllegalStateException) when it does not come in time. */
    int waitFor(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("shim did not exit within " + timeout + "; stderr so far: " + stderrText());
        }
        return process.exitValue();
    }

    byte[] stdout() {
        return stdout.join();
    }

    /** Everything the shim wrote to stderr, byte-exact, once it has closed it. */
    byte[] stderr() {
        return stderr.join();
    }

    String stdoutText() {
        return new String(stdout(), StandardCharsets.UTF_8);
    }

    /** Everything the shim wrote to stderr so far (it may still be running). */
    String stderrText() {
        synchronized (stderrSoFar) {
            return stderrSoFar.toString(StandardCharsets.UTF_8);
        }
    }

    /** Waits until stderr contains {@code text}; false on timeout. */
    boolean awaitStderr(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (stderrText().contains(text)) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

    private static CompletableFuture<byte[]> drain(InputStream in, ByteArrayOutputStream out) {
        return CompletableFuture.supplyAsync(() -> {
            byte[] buffer = new byte[65536];
            try {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    synchronized (out) {
                        out.write(buffer, 0, n);
                    }
                }
            } catch (IOException e) {
                // process killed: keep what came
            }
            synchronized (out) {
                return out.toByteArray();
            }
        }, runnable -> {
            Thread t = new Thread(runnable, "drain");
            t.setDaemon(true);
            t.start();
        });
    }
}
