package dev.ffdispatch.exec;

import dev.ffdispatch.posix.FlushingOutputStream;
import dev.ffdispatch.ssh.RemoteChannel;
import dev.ffdispatch.ssh.RemoteExit;
import dev.ffdispatch.ssh.SshChannels;
import dev.ffdispatch.ssh.SshTarget;
import dev.ffdispatch.ssh.WorkerAnswerException;
import dev.ffdispatch.ssh.WorkerCommands.Request;
import dev.ffdispatch.ssh.WorkerLink;
import java.nio.charset.StandardCharsets;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A worker that is this machine: each command runs in a real {@code /bin/sh}, as a login shell
 * would run it after SSH; link requests run as their one-shot commands. Real processes, real
 * signals; only the transport is missing.
 */
final class LocalShellChannels implements SshChannels, WorkerLink {
    private final Path scratch;
    /** Shell code run before each channel's command, like a worker's start-up files. */
    private final String prelude;
    /** Every link request (kills), as its request line, in order. */
    final List<String> commands = new CopyOnWriteArrayList<>();
    /** Every link request's answer, in order. */
    final List<String> answers = new CopyOnWriteArrayList<>();
    /** Completes with the first request, for tests that wait for a kill made in the background. */
    final CompletableFuture<String> firstCommand = new CompletableFuture<>();

    LocalShellChannels(Path scratch, String prelude) {
        this.scratch = scratch;
        this.prelude = prelude;
    }

    @Override
    public RemoteChannel open(SshTarget target, String command, OutputStream stdout, OutputStream stderr, Duration timeout)
        throws IOException {
        Process p = Sh.start(prelude + command, scratch);
        CompletableFuture<Void> out = StreamPump.start(p.getInputStream(), stdout, "fake-ssh-stdout");
        CompletableFuture<Void> err = StreamPump.start(p.getErrorStream(), stderr, "fake-ssh-stderr");
        CompletableFuture<RemoteExit> exit = CompletableFuture.allOf(out, err)
            .thenCompose(v -> p.onExit())
            .thenApply(done -> new RemoteExit(done.exitValue(), null, false));
        OutputStream stdin = new FlushingOutputStream(p.getOutputStream(), true);
        return new RemoteChannel() {
            @Override
            public OutputStream stdin() {
                return stdin;
            }

            @Override
            public CompletableFuture<RemoteExit> exit() {
                return exit;
            }

            @Override
            public void close() {
                try {
                    stdin.close();
                } catch (IOException e) {
                    // Closing a channel never fails for the caller.
                }
            }
        };
    }

    @Override
    public Answer ask(SshTarget target, Request request, Duration timeout) throws IOException {
        String line = request.verb() + " " + String.join(" ", request.args());
        commands.add(line);
        firstCommand.complete(line);
        long started = System.nanoTime();
        Process p = Sh.start(request.oneShot(), scratch);
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IOException("request timed out after " + timeout + ": " + line);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + line, e);
        }
        if (!out.startsWith("ok")) {
            throw new WorkerAnswerException(out);
        }
        answers.add(out.substring(2).strip());
        return new Answer(out.substring(2).strip(), Duration.ofNanos(System.nanoTime() - started));
    }
}
