package dev.ffdispatch.daemon;

import dev.ffdispatch.caps.Capabilities;
import dev.ffdispatch.caps.LearnScript;
import dev.ffdispatch.caps.Needs;
import dev.ffdispatch.caps.ProbeAnswer;
import dev.ffdispatch.posix.JobExitCodes;
import dev.ffdispatch.protocol.Tool;
import dev.ffdispatch.ssh.BinaryIdentity;
import dev.ffdispatch.ssh.Reasons;
import dev.ffdispatch.store.ProfileRecord;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps every machine's capability profiles current and answers from them. A profile is checked
 * against its binary's identity (path, size, mtime: a link round trip on a worker, a stat here)
 * when the worker comes up, every {@link #CHECK_EVERY}, and before a probe is answered when the
 * last check is older than {@link #ANSWER_FRESHNESS} (this machine: before every answer, a stat
 * costs microseconds); a binary that changed is learned again, and until then its profile answers
 * nothing and narrows no job. Learning runs on the probe executor, one run per machine at a time.
 */
final class ProfileKeeper {
    /** How often the binaries of up workers and this machine are checked in the background. */
    static final Duration CHECK_EVERY = Duration.ofMinutes(1);
    /**
     * A worker's answer is given only if its binary was checked this recently; otherwise it is
     * checked first (one link round trip), so Jellyfin restarted right after an ffmpeg upgrade
     * sees the new binary's answers.
     */
    static final Duration ANSWER_FRESHNESS = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(ProfileKeeper.class);

    private final ProfileBook book;
    private final Executor executor;
    private final Clock clock;
    private final ProfileSource local;
    private final Function<WorkerHost, ProfileSource> workers;
    /** The identity each binary had at its last check, and when. */
    private final ConcurrentMap<ProfileBook.Key, Checked> checked = new ConcurrentHashMap<>();
    private final Set<String> learning = ConcurrentHashMap.newKeySet();
    /** The last learn failure per machine and tool, logged once until it changes. */
    private final ConcurrentMap<ProfileBook.Key, String> failures = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private record Checked(BinaryIdentity identity, Instant at) {
    }

    ProfileKeeper(ProfileBook book, Executor executor, Clock clock, ProfileSource local,
                  Function<WorkerHost, ProfileSource> workers) {
        this.book = book;
        this.executor = executor;
        this.clock = clock;
        this.local = local;
        this.workers = workers;
    }

    /** Loads the stored profiles and starts learning this machine's. */
    void start() {
        book.load();
        refresh(local);
    }

    /** The daemon is stopping: nothing new is learned, and runs cut short are not reported. */
    void close() {
        closed = true;
    }

    /** A worker answered its first probe (or came back): check its binaries, learn what changed. */
    void hostUp(WorkerHost host) {
        refresh(workers.apply(host));
    }

    /** The periodic check of this machine and of {@code up} workers. */
    void checkAll(Collection<WorkerHost> up) {
        refresh(local);
        up.forEach(this::hostUp);
    }

    /** Profiles deleted by {@code ffdispatch host relearn}: forget them and learn them again. */
    void reload(Collection<WorkerHost> up) {
        Set<ProfileBook.Key> before = new HashSet<>(book.keys());
        book.load();
        before.removeAll(book.keys());
        before.forEach(checked::remove);
        checkAll(up);
    }

    /**
     * A worker's answer to {@code probe}, byte-exact, or null when it must run (unknown probe,
     * profile not learned, binary changed or not checkable now).
     */
    ProbeAnswer answer(WorkerHost host, Tool tool, String probe) {
        return answer(workers.apply(host), tool, probe, ANSWER_FRESHNESS);
    }

    /** This machine's answer to {@code probe}, or null. */
    ProbeAnswer localAnswer(Tool tool, String probe) {
        return answer(local, tool, probe, Duration.ZERO);
    }

    private ProbeAnswer answer(ProfileSource source, Tool tool, String probe, Duration freshness) {
        ProfileBook.Key key = new ProfileBook.Key(source.machine(), tool);
        ProfileBook.Profile profile = book.get(key);
        if (profile == null || !profile.answers().containsKey(probe)) {
            return null;
        }
        Checked last = checked.get(key);
        BinaryIdentity now;
        if (last != null && clock.instant().isBefore(last.at.plus(freshness))) {
            now = last.identity;
        } else {
            try {
                now = check(source, key);
            } catch (IOException e) {
                LOG.debug("profile(host={} tool={}) not answered from the profile: {}", source.name(), tool.command(), Reasons.of(e));
                return null;
            }
        }
        if (!now.equals(profile.identity())) {
            refresh(source);
            return null;
        }
        return profile.answers().get(probe);
    }

    /** What a worker's ffmpeg can do; null when unknown (not learned yet, changed since, or no ffmpeg). */
    Capabilities capabilities(WorkerHost host) {
        return capabilities(new ProfileBook.Key(ProfileRecord.host(host.record().id()), Tool.FFMPEG));
    }

    /** What this machine's ffmpeg can do; null when unknown. */
    Capabilities localCapabilities() {
        return capabilities(new ProfileBook.Key(local.machine(), Tool.FFMPEG));
    }

    private Capabilities capabilities(ProfileBook.Key key) {
        ProfileBook.Profile profile = book.get(key);
        if (profile == null) {
            return null;
        }
        Checked last = checked.get(key);
        return last != null && !last.identity.equals(profile.identity()) ? null : profile.capabilities();
    }

    /**
     * Whether {@code host} may take a job with {@code needs}: its profile has all of them, or
     * nothing is known of it (a worker is never kept from a job on a guess).
     */
    boolean canRun(WorkerHost host, Needs needs) {
        Capabilities caps = capabilities(host);
        return caps == null || caps.missing(needs).isEmpty();
    }

    /** The profile a worker or this machine shows in status: null when none is known. */
    ProfileBook.Profile profile(String machine) {
        return book.get(new ProfileBook.Key(machine, Tool.FFMPEG));
    }

    String localMachine() {
        return local.machine();
    }

    /**
     * Whether both binaries of {@code machine} have been checked and nothing is being learned
     * there now (tests wait for it before they count a worker's processes).
     */
    boolean settled(String machine) {
        return !learning.contains(machine)
            && Arrays.stream(Tool.values()).allMatch(t -> checked.containsKey(new ProfileBook.Key(machine, t))
                || failures.containsKey(new ProfileBook.Key(machine, t)));
    }

    /**
     * A run of {@code probe} that is about to happen on {@code host} (null: this machine): the
     * returned callback keeps its answer when the run ended as the program ended it (not cut
     * by ffdispatch) and the binary it ran is the one checked last.
     */
    Consumer<ProbeAnswer> learnFromRun(WorkerHost host, Tool tool, String probe) {
        ProfileSource source = host == null ? local : workers.apply(host);
        ProfileBook.Key key = new ProfileBook.Key(source.machine(), tool);
        return answer -> {
            Checked last = checked.get(key);
            if (last == null || ownExitCode(answer.exitCode())) {
                return;
            }
            try {
                book.answered(key, last.identity, probe, answer, clock.instant());
                LOG.info("profile(host={} tool={}) learned the answer to {} from its run", source.name(), tool.command(), probe);
            } catch (RuntimeException e) {
                LOG.warn("profile(host={} tool={}) could not keep the answer to {}: {}", source.name(), tool.command(), probe, e.toString());
            }
        };
    }

    /**
     * Codes ffdispatch or the shell end a run with (lost worker, cancelled, the job script's
     * failed {@code cd} = 66, program not executable = 126 or not found = 127), or a signal: not
     * what the program answers, so not kept.
     */
    private static boolean ownExitCode(int code) {
        return code >= JobExitCodes.SIGNAL_BASE || List.of(66, 126, JobExitCodes.WORKER_LOST, JobExitCodes.CANCELLED, JobExitCodes.NO_HOST,
            JobExitCodes.NOT_FOUND, JobExitCodes.PROTOCOL).contains(code);
    }

    private BinaryIdentity check(ProfileSource source, ProfileBook.Key key) throws IOException {
        BinaryIdentity identity = source.identity(key.tool());
        checked.put(key, new Checked(identity, clock.instant()));
        return identity;
    }

    /** Checks both binaries of {@code source} and learns those that changed, in the background. */
    private void refresh(ProfileSource source) {
        if (closed || !learning.add(source.machine())) {
            return;
        }
        try {
            executor.execute(() -> {
                try {
                    for (Tool tool : Tool.values()) {
                        refresh(source, tool);
                    }
                } finally {
                    learning.remove(source.machine());
                }
            });
        } catch (RejectedExecutionException e) {
            learning.remove(source.machine()); // shutting down
        }
    }

    private void refresh(ProfileSource source, Tool tool) {
        ProfileBook.Key key = new ProfileBook.Key(source.machine(), tool);
        try {
            BinaryIdentity identity = check(source, key);
            ProfileBook.Profile known = book.get(key);
            if (known != null && known.identity().equals(identity) && known.complete()) {
                return;
            }
            long started = System.nanoTime();
            LearnScript.Learned learned = source.learn(tool);
            if (!check(source, key).equals(identity)) {
                LOG.info("profile(host={} tool={}) the binary changed while it was learned; learned again at the next check",
                    source.name(), tool.command());
                return;
            }
            ProfileBook.Profile profile = book.learned(key, identity, learned, clock.instant());
            failures.remove(key);
            LOG.info("profile(host={} tool={}) learned {} in {}: {}", source.name(), tool.command(), identity,
                Reasons.duration(Duration.ofNanos(System.nanoTime() - started)),
                tool == Tool.FFMPEG ? describe(profile) : "its answers to " + String.join(" ", profile.answers().keySet()));
        } catch (IOException | RuntimeException e) {
            if (closed) {
                return; // the daemon is stopping: its executors interrupt what runs
            }
            String why = Reasons.of(e);
            if (!why.equals(failures.put(key, why))) {
                LOG.warn("profile(host={} tool={}) not learned, probes run there and jobs are not narrowed by it"
                    + " (tried again within {}): {}", source.name(), tool.command(), Reasons.duration(CHECK_EVERY), why);
            }
        }
    }

    /** {@code ffmpeg 5.1.6, hwaccels vulkan (not working: vaapi cuda)} and the like, for logs and status. */
    static String describe(ProfileBook.Profile profile) {
        Capabilities caps = profile.capabilities();
        if (caps == null) {
            return "not an ffmpeg's listings (its probes are answered as it answered them; jobs are not narrowed by it)";
        }
        List<String> broken = caps.brokenHwaccels();
        return "version " + caps.version() + ", hwaccels " + (caps.hwaccels().isEmpty() ? "none" : String.join(" ", caps.hwaccels()))
            + (broken.isEmpty() ? "" : " (listed, not working: " + String.join(" ", broken) + ")")
            + ", hardware encoders " + (caps.hardwareEncoders().isEmpty() ? "none" : String.join(" ", caps.hardwareEncoders()));
    }
}
