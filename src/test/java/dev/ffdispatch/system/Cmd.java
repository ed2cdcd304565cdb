package dev.ffdispatch.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs a short external command with a time limit and captures its output. */
final class Cmd {
    /** Every helper command here (ip, ssh-keygen, kill) returns in milliseconds; this only stops a hang. */
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private Cmd() {
    }

    record Result(List<String> command, int exitCode, String stdout, String stderr) {
        Result orThrow() {
            if (exitCode != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited " + exitCode + ": " + stderr.strip()
                    + (stdout.isBlank() ? "" : " (stdout: " + stdout.strip() + ")"));
            }
            return this;
        }
    }

    static Result run(String... command) {
        return run(Map.of(), DEFAULT_TIMEOUT, command);
    }

    /** Fails (IllegalStateException) when the command exits non-zero. */
    static String check(String... command) {
        return run(command).orThrow().stdout();
    }

    static Result run(Map<String, String> env, Duration timeout, String... command) {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(env);
        builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        try {
            Process p = builder.start();
            CompletableFuture<String> out = read(p.getInputStream());
            CompletableFuture<String> err = read(p.getErrorStream());
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeout);
            }
            return new Result(List.of(command), p.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        }
    }

    /** A thread per stream: the common pool has one thread on 2 cores, and two blocking reads would deadlock. */
    static CompletableFuture<String> read(java.io.InputStream in) {
        CompletableFuture<String> text = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try (in) {
                text.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                text.complete("");
            }
        }, "cmd-output");
        t.setDaemon(true);
        t.start();
        return text;
    }
}
