package dev.ffdispatch.demo;

import dev.ffdispatch.posix.NamedThreads;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One exec request run as {@code /bin/sh -c <command>}, with stdin, stdout and stderr pumped
 * byte-exact by one thread each. When the channel goes away the process keeps running (like
 * under OpenSSH, where ffmpeg ignores SIGPIPE): its output is drained and dropped.
 */
final class ShellCommand implements Command {
    private static final Logger LOG = LoggerFactory.getLogger(ShellCommand.class);
    private static final int BUFFER = 32 * 1024;

    private final String command;
    private final Consumer<Process> started;
    private InputStream in;
    private OutputStream out;
    private OutputStream err;
    private ExitCallback exit;
    private volatile boolean destroyed;

    ShellCommand(String command, Consumer<Process> started) {
        this.command = command;
        this.started = started;
    }

    @Override
    public void setInputStream(InputStream in) {
        this.in = in;
    }

    @Override
    public void setOutputStream(OutputStream out) {
        this.out = out;
    }

    @Override
    public void setErrorStream(OutputStream err) {
        this.err = err;
    }

    @Override
    public void setExitCallback(ExitCallback exit) {
        this.exit = exit;
    }

    @Override
    public void start(ChannelSession channel, Environment env) throws IOException {
        Process process;
        try {
            process = new ProcessBuilder("/bin/sh", "-c", command).start();
        } catch (IOException e) {
            err.write(("/bin/sh: " + e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8));
            err.flush();
            exit.onExit(127);
            return;
        }
        started.accept(process);
        Thread stdout = NamedThreads.start("loopback-stdout", () -> pump(process.getInputStream(), out));
        Thread stderr = NamedThreads.start("loopback-stderr", () -> pump(process.getErrorStream(), err));
        NamedThreads.start("loopback-stdin", () -> feed(process));
        NamedThreads.start("loopback-wait", () -> finish(process, stdout, stderr));
    }

    @Override
    public void destroy(ChannelSession channel) {
        destroyed = true;
    }

    private void finish(Process process, Thread stdout, Thread stderr) {
        try {
            int code = process.waitFor();
            // exit-status goes out only after every output byte was handed to the channel.
            stdout.join();
            stderr.join();
            if (!destroyed) {
                exit.onExit(code);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void pump(InputStream from, OutputStream to) {
        byte[] buffer = new byte[BUFFER];
        boolean channelOpen = true;
        try (from) {
            for (int n = from.read(buffer); n >= 0; n = from.read(buffer)) {
                if (channelOpen && !destroyed) {
                    try {
                        to.write(buffer, 0, n);
                        to.flush();
                    } catch (IOException e) {
                        channelOpen = false; // keep draining: the process must not block on a full pipe
                    }
                }
            }
        } catch (IOException e) {
            LOG.debug("loopback(command={}) output pump ended: {}", command, e.toString());
        }
    }

    private void feed(Process process) {
        byte[] buffer = new byte[BUFFER];
        try (OutputStream to = process.getOutputStream()) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                to.write(buffer, 0, n);
                to.flush();
            }
        } catch (IOException e) {
            LOG.debug("loopback(command={}) stdin pump ended: {}", command, e.toString());
        }
    }
}
