package dev.ffdispatch.demo;

import dev.ffdispatch.posix.NamedThreads;
import dev.ffdispatch.ssh.WorkerCommands;
import dev.ffdispatch.ssh.WorkerCommands.Numbered;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.IntSupplier;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's worker link ({@link WorkerCommands#link}) as a loopback worker serves it: the same
 * framing and answers, the probe's count from the worker's own bookkeeping (loopback workers share
 * one process table, so a real pgrep would count every worker's jobs), every other request run as
 * its one-shot command with {@code /bin/sh -c}.
 */
final class LoopbackLink implements Command {
    private static final Logger LOG = LoggerFactory.getLogger(LoopbackLink.class);

    private final String token;
    private final IntSupplier ffmpegCount;
    private InputStream in;
    private OutputStream out;
    private ExitCallback exit;
    private volatile boolean destroyed;

    LoopbackLink(String token, IntSupplier ffmpegCount) {
        this.token = token;
        this.ffmpegCount = ffmpegCount;
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
        // the link writes nothing on stderr
    }

    @Override
    public void setExitCallback(ExitCallback exit) {
        this.exit = exit;
    }

    @Override
    public void start(ChannelSession channel, Environment env) {
        NamedThreads.start("loopback-link", this::serve);
    }

    @Override
    public void destroy(ChannelSession channel) {
        destroyed = true;
    }

    private void serve() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            say(WorkerCommands.readyLine(token));
            for (String line = lines.readLine(); line != null && !destroyed; line = lines.readLine()) {
                Numbered request = WorkerCommands.Request.parse(line);
                if (request == null) {
                    continue;
                }
                if (request.request().verb().equals("count")) {
                    say(request.number() + " ok " + ffmpegCount.getAsInt());
                } else {
                    // A reap waits for its process: like the real loop, answer it in the background.
                    NamedThreads.start("loopback-link-request", () -> answer(request));
                }
            }
        } catch (IOException e) {
            LOG.debug("loopback link ended: {}", e.toString());
        }
        if (!destroyed) {
            exit.onExit(0);
        }
    }

    private void answer(Numbered request) {
        try {
            Process p = new ProcessBuilder("/bin/sh", "-c", request.request().oneShot())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            p.getOutputStream().close();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            p.waitFor();
            say(request.number() + " " + (text.isEmpty() ? "err no answer" : text));
        } catch (IOException e) {
            LOG.debug("loopback link request failed: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void say(String line) throws IOException {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
