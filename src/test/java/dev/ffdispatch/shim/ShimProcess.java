package dev.ffdispatch.shim;

import dev.ffdispatch.TestTimeouts;
import dev.ffdispatch.protocol.PosixShell;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a shim client (the Java shim or the native client, see {@link ShimClient}) as a real
 * child process, so its stdio and its argument bytes are real. The command goes through
 * {@code /bin/sh} with printf-octal words, which is the only way to hand a child argument bytes
 * that are not valid UTF-8.
 */
final class ShimProcess {
    final Process process;
    private final CompletableFuture<byte[]> stdout;
    private final CompletableFuture<byte[]> stderr;

    private ShimProcess(Process process) {
        this.process = process;
        this.stdout = drain(process.getInputStream());
        this.stderr = drain(process.getErrorStream());
    }

    /**
     * Starts {@code client argv0 args...} with {@code env} added to a minimal environment, in
     * {@code cwd} (raw bytes; null keeps the test's directory). A null {@code argv0} starts the
     * client without one, as a broken launcher would.
     */
    static ShimProcess start(ShimClient client, byte[] argv0, List<byte[]> args, Map<String, String> env, byte[] cwd)
            throws IOException {
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
        return new ShimProcess(builder.start());
    }

    static ShimProcess start(ShimClient client, String argv0, Map<String, String> env, String... args) throws IOException {
        List<byte[]> bytes = new ArrayList<>();
        for (String arg : args) {
            bytes.add(arg.getBytes(StandardCharsets.UTF_8));
        }
        return start(client, argv0.getBytes(StandardCharsets.UTF_8), bytes, env, null);
    }

    int waitFor() throws Exception {
        if (!process.waitFor(TestTimeouts.MEDIUM.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("shim did not exit within " + TestTimeouts.MEDIUM + "; stderr: " + stderrText());
        }
        return process.exitValue();
    }

    byte[] stdout() throws Exception {
        return stdout.get(TestTimeouts.MEDIUM.toMillis(), TimeUnit.MILLISECONDS);
    }

    String stderrText() throws Exception {
        return new String(stderr.get(TestTimeouts.MEDIUM.toMillis(), TimeUnit.MILLISECONDS), StandardCharsets.UTF_8);
    }

    byte[] stderr() throws Exception {
        return stderr.get(TestTimeouts.MEDIUM.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static CompletableFuture<byte[]> drain(InputStream in) {
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try (in) {
                result.complete(in.readAllBytes());
            } catch (IOException e) {
                result.completeExceptionally(e);
            }
        }, "shim-drain");
        thread.setDaemon(true);
        thread.start();
        return result;
    }
}
