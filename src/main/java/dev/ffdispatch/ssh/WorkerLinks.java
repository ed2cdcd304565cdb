package dev.ffdispatch.ssh;

import dev.ffdispatch.ssh.WorkerCommands.Request;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One link per worker (address, port, user) over the pooled sessions: a long-lived channel
 * ({@link ProbeChannel}) opened at the first request and opened again when it dies. Its
 * opening is bounded by the session's connect and login limits plus {@code ssh.login_shell_timeout},
 * never by the request's own timeout.
 *
 * <p>A worker that cannot keep a link open (the command ends before it is ready, or the link
 * keeps dying soon after it started while the session lives) is asked with one exec per request
 * instead, as before links existed, and the link is tried again after {@link #FALLBACK_RETRY}.
 * {@link #execOnly} asks that way always (the bench compares both).
 */
public final class WorkerLinks implements WorkerLink, AutoCloseable {
    /** After falling back to one exec per request, the link is tried again this much later. */
    static final Duration FALLBACK_RETRY = Duration.ofMinutes(10);
    /** A link that ends sooner than this after it got ready, with its session alive, died early. */
    static final Duration SHORT_LIFE = Duration.ofSeconds(30);
    /** Early deaths in a row that make the worker one that cannot keep a link open. */
    static final int EARLY_DEATHS = 3;

    private static final Logger LOG = LoggerFactory.getLogger(WorkerLinks.class);

    private final SshPool pool;
    private final Duration open;
    private final Duration loginShell;
    private final Listener listener;
    private final boolean channels;
    private final ConcurrentMap<Key, Link> links = new ConcurrentHashMap<>();

    /** Hears how long login shells take, and of workers that cannot keep a link. */
    public interface Listener {
        Listener NONE = new Listener() {
        };

        /** A link became ready; {@code loginShell} is how long the worker's login shell took to start it. */
        default void linkStarted(SshTarget target, Duration loginShell) {
        }

        /** The worker cannot keep a link open: it is asked with one exec per request for a while. */
        default void fellBack(SshTarget target, String reason) {
        }
    }

    /**
     * @param open budget for a session (connect and login when none is pooled) plus the channel open
     * @param loginShell how long a worker's login shell may take to start the link ({@code ssh.login_shell_timeout})
     */
    public WorkerLinks(SshPool pool, Duration open, Duration loginShell, Listener listener) {
        this(pool, open, loginShell, listener, true);
    }

    private WorkerLinks(SshPool pool, Duration open, Duration loginShell, Listener listener, boolean channels) {
        this.pool = Objects.requireNonNull(pool, "pool");
        this.open = requirePositive("open", open);
        this.loginShell = requirePositive("loginShell", loginShell);
        this.listener = Objects.requireNonNull(listener, "listener");
        this.channels = channels;
    }

    /** Asks with one exec per request, never a link: how probes worked before links (for comparison). */
    public static WorkerLinks execOnly(SshPool pool, Duration open, Duration loginShell) {
        return new WorkerLinks(pool, open, loginShell, Listener.NONE, false);
    }

    @Override
    public Duration startAllowance() {
        return open.plus(loginShell);
    }

    @Override
    public Answer ask(SshTarget target, Request request, Duration timeout) throws IOException {
        return links.computeIfAbsent(Key.of(target), k -> new Link()).ask(target, request, timeout);
    }

    /** How the worker is asked now, for {@code status}. */
    public LinkStatus status(SshTarget target) {
        Link link = links.get(Key.of(target));
        return link == null ? new LinkStatus(channels ? "none" : "exec", null, null) : link.status();
    }

    /** Closes every link (the sessions stay, they belong to the pool). */
    @Override
    public void close() {
        links.values().forEach(Link::close);
        links.clear();
    }

    /**
     * How a worker is asked.
     *
     * @param mode {@code channel} (a link is open), {@code exec} (one exec per request) or
     *     {@code none} (nothing asked yet, or the link is closed until the next request)
     * @param loginShell how long the login shell took to start the last link; null before one
     * @param note why the worker is asked with one exec per request; null otherwise
     */
    public record LinkStatus(String mode, Duration loginShell, String note) {
    }

    private static Duration requirePositive(String name, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " (" + d + ") must be a positive duration");
        }
        return d;
    }

    /** Links are shared like sessions: one worker, one link, whatever its host names. */
    private record Key(String address, int port, String user) {
        static Key of(SshTarget target) {
            return new Key(target.address(), target.port(), target.user());
        }
    }

    private final class Link {
        private final ReentrantLock opening = new ReentrantLock();
        private final AtomicInteger earlyDeaths = new AtomicInteger();
        private volatile ProbeChannel channel;
        private volatile Duration lastStartup;
        private volatile String fallback;
        private volatile long fallbackUntil;

        Answer ask(SshTarget target, Request request, Duration timeout) throws IOException {
            if (!channels || inFallback()) {
                return exec(target, request, timeout);
            }
            ProbeChannel link;
            try {
                link = channel(target);
            } catch (LinkUnusableException e) {
                fallBack(target, e.getMessage());
                return exec(target, request, timeout);
            }
            long started = System.nanoTime();
            String payload = link.ask(request, timeout);
            return new Answer(payload, Duration.ofNanos(System.nanoTime() - started));
        }

        private ProbeChannel channel(SshTarget target) throws IOException {
            ProbeChannel link = channel;
            if (link != null && link.isOpen()) {
                return link;
            }
            Duration wait = startAllowance();
            try {
                if (!opening.tryLock(wait.toNanos(), TimeUnit.NANOSECONDS)) {
                    throw new SshTimeoutException("the link to " + target.name() + " did not start within "
                        + Reasons.duration(wait), null);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the link to " + target.name(), e);
            }
            try {
                link = channel;
                if (link != null && link.isOpen()) {
                    return link;
                }
                link = ProbeChannel.open(pool, target, open, loginShell, ended -> ended(target, ended));
                channel = link;
                lastStartup = link.startup();
                listener.linkStarted(target, link.startup());
                return link;
            } finally {
                opening.unlock();
            }
        }

        /** Runs on the session's I/O thread when a link ends. */
        private void ended(SshTarget target, ProbeChannel link) {
            if (!link.endedByWorker() || link.startup() == null) {
                return;
            }
            if (link.age().compareTo(SHORT_LIFE) >= 0) {
                earlyDeaths.set(0);
                return;
            }
            int deaths = earlyDeaths.incrementAndGet();
            LOG.info("link(host={}) ended {} after it started ({} early end(s) in a row)", target.name(),
                Reasons.duration(link.age()), deaths);
            if (deaths >= EARLY_DEATHS) {
                earlyDeaths.set(0);
                fallBack(target, "the link ended " + deaths + " times within " + Reasons.duration(SHORT_LIFE)
                    + " of starting");
            }
        }

        private boolean inFallback() {
            if (fallback == null) {
                return false;
            }
            if (System.nanoTime() - fallbackUntil >= 0) {
                fallback = null;
                return false;
            }
            return true;
        }

        private void fallBack(SshTarget target, String reason) {
            fallback = reason;
            fallbackUntil = System.nanoTime() + FALLBACK_RETRY.toNanos();
            LOG.warn("link(host={}) the worker cannot keep a probe link open ({}); asking it with one command per "
                + "probe (each pays the login shell), link tried again in {}", target.name(), reason,
                Reasons.duration(FALLBACK_RETRY));
            listener.fellBack(target, reason);
        }

        /** The request as one exec through the login shell, which it pays each time. */
        private Answer exec(SshTarget target, Request request, Duration timeout) throws IOException {
            CommandResult result = pool.run(target, request.oneShot(), timeout.plus(loginShell).plus(open));
            String stdout = new String(result.stdout(), StandardCharsets.UTF_8);
            String answer = null;
            for (String line : stdout.split("\n")) {
                // Start-up files may print text before the answer; the answer is the last such line.
                if (line.equals("ok") || line.startsWith("ok ") || line.startsWith("err ")) {
                    answer = line;
                }
            }
            if (answer == null) {
                String stderr = new String(result.stderr(), StandardCharsets.UTF_8).strip();
                throw new WorkerAnswerException("the worker's answer to " + request.verb() + " was \""
                    + WorkerLink.excerpt(stdout.strip()) + "\" (exit " + result.exitCode() + ")"
                    + (stderr.isEmpty() ? "" : ", stderr: \"" + WorkerLink.excerpt(stderr) + "\""));
            }
            if (answer.startsWith("err ")) {
                throw new WorkerAnswerException(answer.substring(4));
            }
            return new Answer(answer.length() > 3 ? answer.substring(3) : "", result.elapsed());
        }

        LinkStatus status() {
            if (!channels) {
                return new LinkStatus("exec", null, null);
            }
            if (inFallback()) {
                return new LinkStatus("exec", lastStartup, fallback);
            }
            ProbeChannel link = channel;
            return new LinkStatus(link != null && link.isOpen() ? "channel" : "none", lastStartup, null);
        }

        void close() {
            ProbeChannel link = channel;
            if (link != null) {
                link.close();
            }
        }
    }
}
