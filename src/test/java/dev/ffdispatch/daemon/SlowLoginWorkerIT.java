package dev.ffdispatch.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ffdispatch.TestLogins;
import dev.ffdispatch.TestTimeouts;
import dev.ffdispatch.metrics.DispatchMetrics;
import dev.ffdispatch.poll.HostHealth;
import dev.ffdispatch.poll.HostState;
import dev.ffdispatch.protocol.Tool;
import dev.ffdispatch.store.HostEvent;
import dev.ffdispatch.store.JobRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11's done-when: a worker whose login shell sleeps 2.5 s before running anything comes up
 * within 15 s and stays up for 30 s of 1 s polls with no up->down transition, beside a normal
 * worker, and jobs run on it. Both are the system's OpenSSH sshd; the slow one logs in as the
 * test login whose ~/.bashrc sleeps ({@link TestLogins#slowUser()}).
 */
class SlowLoginWorkerIT {
    private static final Duration LOGIN_DELAY = Duration.ofMillis(2500);
    private static final Duration COMES_UP_WITHIN = Duration.ofSeconds(15);
    private static final Duration STAYS_UP_FOR = Duration.ofSeconds(30);

    @TempDir
    Path home;
    private DaemonHarness harness;

    @AfterEach
    void stop() {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void aWorkerWithASlowLoginShellComesUpStaysUpAndRunsJobs() throws Exception {
        Assumptions.assumeTrue(TestLogins.slowLoginUnavailable().isEmpty(), () -> TestLogins.slowLoginUnavailable().get());
        harness = new DaemonHarness(home, Map.of("FFDISPATCH_POLL_INTERVAL", "1s", "FFDISPATCH_POLL_TIMEOUT", "2s",
            "FFDISPATCH_POLL_BACKOFF_MAX", "60s"));
        harness.addOpenSshWorker("fast", 1, DaemonHarness.FFMPEG);
        harness.addSlowOpenSshWorker("slow", 2, DaemonHarness.FFMPEG, LOGIN_DELAY);
        Recorder metrics = new Recorder();
        long started = System.nanoTime();
        Daemon daemon = harness.start(metrics);
        long slowId = id(daemon, "slow");

        while (state(daemon, slowId) != HostState.UP) {
            assertTrue(System.nanoTime() - started < COMES_UP_WITHIN.toNanos(), "slow worker not up within "
                + COMES_UP_WITHIN + ": " + daemon.poller().health(slowId));
            Thread.sleep(20);
        }
        assertEquals(1, metrics.logins.get("slow").size(), "the login shell ran once for the link");
        assertTrue(metrics.logins.get("slow").get(0).compareTo(LOGIN_DELAY) >= 0, metrics.logins.toString());

        int pollsBefore = metrics.polls("slow");
        long upSince = System.nanoTime();
        while (System.nanoTime() - upSince < STAYS_UP_FOR.toNanos()) {
            assertEquals(HostState.UP, state(daemon, slowId), () -> "slow went " + daemon.poller().health(slowId));
            Thread.sleep(50);
        }
        int polls = metrics.polls("slow") - pollsBefore;
        // 1 s polls for 30 s: about 30; 3 s polls (the old default) would give 10.
        assertTrue(polls >= 20, "polls of the slow worker in " + STAYS_UP_FOR + ": " + polls);
        assertEquals(0, metrics.flaps.get(), "up->down transitions");
        assertEquals(1, metrics.logins.get("slow").size(), "still the one link: " + metrics.logins);
        assertEquals(HostState.UP, state(daemon, id(daemon, "fast")));

        // Weight 2 against 1: each job (one at a time) goes to the slow worker; its own channel
        // pays the 2.5 s login, within ssh.login_shell_timeout.
        for (int i = 0; i < 2; i++) {
            DaemonHarness.Result r = harness.call(Tool.FFMPEG, DaemonHarness.bytes("-hide_banner", "-f", "lavfi", "-i",
                "testsrc=duration=0.2:size=32x32:rate=5", "-f", "null", "-"), home.toString().getBytes());
            assertEquals(0, r.exitCode(), r.stderrText());
        }
        List<JobRecord> jobs = awaitJobs(daemon, 2);
        assertTrue(jobs.stream().allMatch(j -> j.host().equals("slow")), jobs.toString());
        List<HostEvent> slowEvents = daemon.store().hostEvents("slow", 50);
        assertTrue(slowEvents.stream().noneMatch(e -> e.to().equals("down")), slowEvents.toString());
    }

    private static List<JobRecord> awaitJobs(Daemon daemon, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TestTimeouts.MEDIUM.toNanos();
        while (true) {
            List<JobRecord> jobs = daemon.store().jobs(10, null, false).stream().filter(j -> j.ended() != null).toList();
            if (jobs.size() >= n || System.nanoTime() > deadline) {
                return jobs;
            }
            Thread.sleep(50);
        }
    }

    private static long id(Daemon daemon, String name) {
        return daemon.hosts().all().stream().filter(h -> h.record().name().equals(name)).findFirst().orElseThrow()
            .record().id();
    }

    private static HostState state(Daemon daemon, long id) {
        HostHealth health = daemon.poller().health(id);
        return health == null ? HostState.UNKNOWN : health.state();
    }

    /** The metrics the daemon reports, kept for the assertions. */
    private static final class Recorder implements DispatchMetrics {
        final Map<String, List<Duration>> logins = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> polls = new ConcurrentHashMap<>();
        final AtomicInteger flaps = new AtomicInteger();

        @Override
        public void loginShell(String host, Duration loginShell) {
            logins.computeIfAbsent(host, h -> new CopyOnWriteArrayList<>()).add(loginShell);
        }

        @Override
        public void hostPolled(String host, int ffmpegCount, Duration latency) {
            polls.computeIfAbsent(host, h -> new AtomicInteger()).incrementAndGet();
        }

        @Override
        public void hostFlapped(String host) {
            flaps.incrementAndGet();
        }

        int polls(String host) {
            AtomicInteger n = polls.get(host);
            return n == null ? 0 : n.get();
        }
    }
}
