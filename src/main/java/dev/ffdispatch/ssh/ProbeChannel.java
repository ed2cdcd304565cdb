package dev.ffdispatch.ssh;

import dev.ffdispatch.ssh.WorkerCommands.Request;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker's link: a single exec channel running {@link WorkerCommands#link}, which answers
 * request lines for as long as the channel stays open. The login shell runs once, when the
 * channel starts; a request is then one line each way.
 *
 * <p>Framing: whatever the login shell prints first (a banner, a message of the day, a line
 * without newline) comes before the ready line, which holds a random token; it is skipped. Each
 * answer starts with its request's number, so a late answer to a request given up is recognised
 * and dropped, and background answers (reaps) may come in any order.
 */
final class ProbeChannel {
    private static final Logger LOG = LoggerFactory.getLogger(ProbeChannel.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final int TOKEN_CHARS = 20;
    /** Longer lines (a runaway banner) are cut; an answer is far shorter. */
    private static final int MAX_LINE = 64 * 1024;

    private final SshTarget target;
    private final String readyLine;
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final ConcurrentMap<Long, CompletableFuture<String>> pending = new ConcurrentHashMap<>();
    private final AtomicLong numbers = new AtomicLong();
    private final CappedOutputStream stderr = new CappedOutputStream(4096);
    private final Object writeLock = new Object();
    private volatile PooledChannel channel;
    private volatile boolean closed;
    private volatile long readyAtNanos;
    private volatile Duration startup;
    private volatile boolean endedByWorker;
    /** Lines before the ready line (shown when the link never gets ready). */
    private volatile String lastNoise = "";

    private ProbeChannel(SshTarget target, String token) {
        this.target = target;
        this.readyLine = WorkerCommands.readyLine(token);
    }

    /**
     * Opens the channel and waits for the loop to be ready.
     *
     * @param open budget for a session (connect and login when none is pooled) and the channel open
     * @param loginShell how long the login shell may take to start the loop
     * @param onEnd told once when the channel ends, whoever ended it
     * @throws LinkUnusableException when the worker ran the command but it ended before it was ready
     * @throws LoginShellTimeoutException when the ready line did not come within {@code loginShell}
     * @throws IOException when no channel could be opened
     */
    static ProbeChannel open(SshPool pool, SshTarget target, Duration open, Duration loginShell,
                             Consumer<ProbeChannel> onEnd) throws IOException {
        String token = token();
        ProbeChannel link = new ProbeChannel(target, token);
        PooledChannel channel = pool.openChannel(target, WorkerCommands.link(token), link.new Lines(), link.stderr,
            Deadline.after(open));
        link.channel = channel;
        long started = System.nanoTime();
        channel.exit().whenComplete((exit, e) -> {
            link.ended(exit);
            onEnd.accept(link);
        });
        try {
            link.ready.get(loginShell.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            link.close();
            throw new LoginShellTimeoutException("login shell took more than " + Reasons.duration(loginShell)
                + " to start (ssh.login_shell_timeout); its start-up files are slow (pyenv, conda?): give the"
                + " worker a dedicated user with /bin/sh, or raise ssh.login_shell_timeout");
        } catch (ExecutionException e) {
            link.close();
            throw e.getCause() instanceof IOException io ? io : new IOException(Reasons.of(e.getCause()), e.getCause());
        } catch (InterruptedException e) {
            link.close();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the link to " + target.name() + " started", e);
        }
        link.readyAtNanos = System.nanoTime();
        Duration took = Duration.ofNanos(link.readyAtNanos - started);
        LOG.info("link(host={}) ready: login shell took {}", target.name(), Reasons.duration(took));
        link.startup = took;
        return link;
    }

    /** From the open channel to the ready line: the worker's login shell start-up. */
    Duration startup() {
        return startup;
    }

    /** How long the channel has been ready. */
    Duration age() {
        return Duration.ofNanos(System.nanoTime() - readyAtNanos);
    }

    /** The worker ended the link (its loop exited) while the session lived and we had not closed it. */
    boolean endedByWorker() {
        return endedByWorker;
    }

    boolean isOpen() {
        return !closed && !channel.exit().isDone();
    }

    /**
     * One round trip. A request that gets no answer in time closes the link: the loop is stuck
     * (a hung pgrep, say) and would keep every later request waiting.
     */
    String ask(Request request, Duration timeout) throws IOException {
        long number = numbers.incrementAndGet();
        CompletableFuture<String> answer = new CompletableFuture<>();
        pending.put(number, answer);
        try {
            byte[] line = (WorkerCommands.request(number, request) + "\n").getBytes(StandardCharsets.UTF_8);
            synchronized (writeLock) {
                if (!isOpen()) {
                    throw new IOException("the link to " + target.name() + " closed");
                }
                channel.stdin().write(line);
            }
            return answer.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            LOG.info("link(host={}) no answer to {} within {}; closing the link", target.name(), request.verb(),
                Reasons.duration(timeout));
            close();
            throw new SshTimeoutException("no answer to " + request.verb() + " within " + Reasons.duration(timeout),
                e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(Reasons.of(e.getCause()), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while asking " + target.name(), e);
        } finally {
            pending.remove(number);
        }
    }

    void close() {
        closed = true;
        PooledChannel c = channel;
        if (c != null) {
            c.close();
        }
    }

    private void ended(RemoteExit exit) {
        endedByWorker = !closed && exit != null && !exit.connectionLost();
        closed = true;
        String why;
        if (exit == null || exit.connectionLost()) {
            why = "connection lost";
        } else if (!ready.isDone()) {
            String err = new String(stderr.bytes(), StandardCharsets.UTF_8).strip();
            why = "the worker ended the link before it was ready (exit " + exit.exitCode() + ")"
                + (err.isEmpty() ? "" : ", stderr: \"" + WorkerLink.excerpt(err) + "\"")
                + (lastNoise.isEmpty() ? "" : ", stdout: \"" + WorkerLink.excerpt(lastNoise) + "\"");
            ready.completeExceptionally(new LinkUnusableException(why));
        } else {
            why = "the link ended (exit " + exit.exitCode() + ")";
        }
        ready.completeExceptionally(new IOException(why));
        IOException failure = new IOException(why);
        pending.values().forEach(f -> f.completeExceptionally(failure));
        LOG.debug("link(host={}) ended: {}", target.name(), why);
    }

    private void line(String text) {
        if (!ready.isDone()) {
            // A banner printed without a newline ends up in front of the ready line.
            if (text.endsWith(readyLine)) {
                ready.complete(null);
            } else {
                lastNoise = text;
                LOG.debug("link(host={}) login shell printed: {}", target.name(), WorkerLink.excerpt(text));
            }
            return;
        }
        int space = text.indexOf(' ');
        CompletableFuture<String> answer = null;
        if (space > 0) {
            try {
                answer = pending.get(Long.parseLong(text.substring(0, space)));
            } catch (NumberFormatException e) {
                answer = null;
            }
        }
        if (answer == null) {
            LOG.debug("link(host={}) unexpected line ignored: {}", target.name(), WorkerLink.excerpt(text));
            return;
        }
        String body = text.substring(space + 1);
        if (body.startsWith("ok ")) {
            answer.complete(body.substring(3));
        } else if (body.equals("ok")) {
            answer.complete("");
        } else {
            answer.completeExceptionally(new WorkerAnswerException(body.startsWith("err ") ? body.substring(4)
                : "unreadable answer \"" + WorkerLink.excerpt(body) + "\""));
        }
    }

    private static String token() {
        char[] token = new char[TOKEN_CHARS];
        for (int i = 0; i < token.length; i++) {
            token[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(token);
    }

    /** The channel's stdout, cut into lines; MINA writes it from one I/O thread at a time. */
    private final class Lines extends OutputStream {
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

        @Override
        public synchronized void write(int b) {
            if (b == '\n') {
                line(buffer.toString(StandardCharsets.UTF_8));
                buffer.reset();
            } else if (buffer.size() < MAX_LINE) {
                buffer.write(b);
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            for (int i = off; i < off + len; i++) {
                write(b[i]);
            }
        }
    }
}
