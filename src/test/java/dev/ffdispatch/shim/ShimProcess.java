package dev.ffdispatch.shim;

import dev.ffdispatch.TestTimeouts;
import dev.ffdispatch.posix.PosixShell;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the shim as a real child JVM, so its stdio and /proc/self/cmdline are real. The command
 * goes through {@code /bin/sh} with printf-octal words, which is the only way to hand a child
 * argument bytes that are not valid UTF-8.
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
     * Starts {@code Shim argv0 args...} with {@code env} added to a minimal environment, in
     * {@code cwd} (raw bytes; null keeps the test's directory).
     */
    static ShimProcess start(byte[] argv0, List<byte[]> args, Map<String, String> env, byte[] cwd) throws IOException {
        List<byte[]> words = new ArrayList<>();
        for (String fixed : List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData", "-Xshare:auto",
                "-Xlog:disable", "-Xlog:all=warning:stderr", "-cp", classes(), Shim.class.getName())) {
            words.add(fixed.getBytes(StandardCharsets.UTF_8));
        }
        words.add(argv0);
        words.addAll(args);
        String command = PosixShell.command("exec", words, true);
        if (cwd != null) {
            command = PosixShell.command("cd", List.of(cwd), true) + " && " + command;
        }
        ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", command);
        builder.environment().clear();
        builder.environment().put("PATH", "/usr/bin:/bin");
        builder.environment().putAll(env);
        return new ShimProcess(builder.start());
    }

    static ShimProcess start(String argv0, Map<String, String> env, String... args) throws IOException {
        List<byte[]> bytes = new ArrayList<>();
        for (String arg : args) {
            bytes.add(arg.getBytes(StandardCharsets.UTF_8));
        }
        return start(argv0.getBytes(StandardCharsets.UTF_8), bytes, env, null);
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

    /** The directory holding the compiled shim (target/classes). */
    static String classes() {
        try {
            return Path.of(Shim.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
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
