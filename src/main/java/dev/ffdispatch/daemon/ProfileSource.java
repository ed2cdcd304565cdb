package dev.ffdispatch.daemon;

import dev.ffdispatch.caps.LearnScript;
import dev.ffdispatch.protocol.Tool;
import dev.ffdispatch.ssh.BinaryIdentity;
import dev.ffdispatch.ssh.CommandResult;
import dev.ffdispatch.ssh.RemoteCommandRunner;
import dev.ffdispatch.ssh.WorkerCommands;
import dev.ffdispatch.ssh.WorkerLink;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Where a profile is learned: a worker (over its link and one SSH exec) or this machine (a stat
 * and one local {@code sh}). Both run the same {@link LearnScript}.
 */
interface ProfileSource {

    /** The profile key of this machine. */
    String machine();

    /** For logs: the host's name, or {@code local}. */
    String name();

    /** Which binary {@code tool} is now; cheap (a link round trip, or a stat). */
    BinaryIdentity identity(Tool tool) throws IOException;

    /** Runs the learn script for {@code tool} (devices tested for ffmpeg only). */
    LearnScript.Learned learn(Tool tool) throws IOException;

    /** A random token for one learn run's markers. */
    static String token() {
        byte[] bytes = new byte[12];
        new SecureRandom().nextBytes(bytes);
        StringBuilder hex = new StringBuilder("ffd");
        for (byte b : bytes) {
            hex.append(String.format("%02x", b));
        }
        return hex.toString();
    }

    /** Reads a learn run's output; an output that is not the script's is an IOException saying why. */
    static LearnScript.Learned parse(String where, String token, byte[] stdout, byte[] stderr, int exitCode, Tool tool)
        throws IOException {
        try {
            return LearnScript.parse(token, stdout, stderr, tool == Tool.FFMPEG);
        } catch (IllegalArgumentException e) {
            throw new IOException("learning " + tool.command() + " on " + where + " failed (exit " + exitCode + "): "
                + e.getMessage(), e);
        }
    }

    /** A worker: identity over its link, the learn script as one SSH exec through its login shell. */
    record Worker(WorkerHost host, WorkerLink link, RemoteCommandRunner runner, Duration identityTimeout,
                  Duration learnTimeout) implements ProfileSource {
        @Override
        public String machine() {
            return dev.ffdispatch.store.ProfileRecord.host(host.record().id());
        }

        @Override
        public String name() {
            return host.record().name();
        }

        @Override
        public BinaryIdentity identity(Tool tool) throws IOException {
            return link.identity(host.target(), host.program(tool), identityTimeout);
        }

        @Override
        public LearnScript.Learned learn(Tool tool) throws IOException {
            String token = token();
            String command = WorkerCommands.script(LearnScript.SCRIPT, LearnScript.args(token, host.program(tool), tool == Tool.FFMPEG));
            CommandResult result = runner.run(host.target(), command, learnTimeout);
            return parse("host " + name(), token, result.stdout(), result.stderr(), result.exitCode(), tool);
        }
    }

    /** This machine: identity by stat, the learn script run by the local {@code /bin/sh}. */
    record Local(String machine, LocalTools tools, Duration learnTimeout) implements ProfileSource {
        @Override
        public String name() {
            return "local";
        }

        @Override
        public BinaryIdentity identity(Tool tool) throws IOException {
            Path program = Path.of(tools.path(tool));
            if (!program.isAbsolute()) {
                throw new IOException("no local " + tool.command() + " was found (set local." + tool.command() + ")");
            }
            Path real = program.toRealPath();
            BasicFileAttributes a = Files.readAttributes(real, BasicFileAttributes.class);
            return new BinaryIdentity(real.toString(), a.size(), Instant.ofEpochSecond(a.lastModifiedTime().to(TimeUnit.SECONDS)));
        }

        @Override
        public LearnScript.Learned learn(Tool tool) throws IOException {
            String token = token();
            List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", LearnScript.SCRIPT, "ffdispatch"));
            command.addAll(LearnScript.args(token, tools.path(tool), tool == Tool.FFMPEG));
            Process process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            CompletableFuture<byte[]> err = drain(process.getErrorStream(), "ffd-learn-stderr");
            CompletableFuture<byte[]> out = drain(process.getInputStream(), "ffd-learn-stdout");
            try {
                if (!process.waitFor(learnTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    throw new IOException("learning the local " + tool.command() + " took longer than " + learnTimeout.toSeconds() + " s");
                }
                return parse("this machine", token, out.get(learnTimeout.toMillis(), TimeUnit.MILLISECONDS),
                    err.get(learnTimeout.toMillis(), TimeUnit.MILLISECONDS), process.exitValue(), tool);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
                throw new IOException("interrupted while learning the local " + tool.command(), e);
            } catch (ExecutionException | TimeoutException e) {
                process.destroyForcibly();
                throw new IOException("reading the local " + tool.command() + "'s learn output failed: " + e, e);
            }
        }

        /** Reads a stream to its end on a thread of its own (a full pipe would stall the program). */
        private static CompletableFuture<byte[]> drain(InputStream in, String name) {
            CompletableFuture<byte[]> done = new CompletableFuture<>();
            Thread t = new Thread(() -> {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                try (in) {
                    in.transferTo(bytes);
                } catch (IOException e) {
                    // the process was killed: what arrived is incomplete, and parse() says so
                }
                done.complete(bytes.toByteArray());
            }, name);
            t.setDaemon(true);
            t.start();
            return done;
        }
    }
}
