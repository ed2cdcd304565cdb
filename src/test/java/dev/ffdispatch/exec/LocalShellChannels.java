package dev.ffdispatch.exec;

import dev.ffdispatch.posix.FlushingOutputStream;
import dev.ffdispatch.ssh.CommandResult;
import dev.ffdispatch.ssh.RemoteChannel;
import dev.ffdispatch.ssh.RemoteCommandRunner;
import dev.ffdispatch.ssh.RemoteExit;
import dev.ffdispatch.ssh.SshChannels;
import dev.ffdispatch.ssh.SshTarget;
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
 * would run it after SSH. Real processes, real signals; only the transport is missing.
 */
final class LocalShellChannels implements SshChannels, RemoteCommandRunner {
    private final Path scratch;
    /** Shell code run before each channel's command, like a worker's start-up files. */
    private final String prelude;
    /** Every short command run (kills), in order. */
    final List<String> commands = new CopyOnWriteArrayList<>();
    /** Completes with the first short command, for tests that wait for a kill made in the background. */
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
    public CommandResult run(SshTarget target, String command, Duration timeout) throws IOException {
        commands.add(command);
        firstCommand.complete(command);
        long started = System.nanoTime();
        Process p = Sh.start(command, scratch);
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IOException("command timed out after " + timeout + ": " + command);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + command, e);
        }
        return new CommandResult(p.exitValue(), out, err, Duration.ofNanos(System.nanoTime() - started));
    }
}
