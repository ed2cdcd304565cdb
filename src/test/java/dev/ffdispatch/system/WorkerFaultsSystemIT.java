package dev.ffdispatch.system;

import static dev.ffdispatch.system.SystemRig.report;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ffdispatch.TestTimeouts;
import dev.ffdispatch.daemon.StatusReply;
import dev.ffdispatch.posix.JobExitCodes;
import dev.ffdispatch.shim.ShimProcess;
import dev.ffdispatch.store.HostEvent;
import dev.ffdispatch.store.JobRecord;
import dev.ffdispatch.store.JobState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Faults of a worker seen from outside: its link cut mid-transcode, its sshd killed, its host key
 * changed. Each scenario leaves all three workers up and idle for the next.
 */
class WorkerFaultsSystemIT extends RigScenarios {
    /** How long a cut worker may keep a job hanging: heartbeat and poll settings are 1-2 s (SystemRig). */
    static final Duration LINK_CUT_OBSERVE = TestTimeouts.scaled(Duration.ofSeconds(20));
    /** The cut job's length: long enough to outlive the cut, short enough to finish if it resumes. */
    static final int LINK_JOB_SECONDS = 30;
    static final Duration STATE_CHANGE = TestTimeouts.scaled(Duration.ofSeconds(20));


    @Test
    @Order(1)
    void linkCutMidTranscode() throws Exception {
        String scenario = "1 link cut";
        NetnsWorker w1 = rig.worker("w1");
        try (ShimProcess job = startOn("w1", SystemRig.longTranscode(LINK_JOB_SECONDS))) {
            long cut = System.nanoTime();
            w1.linkDown();
            report(scenario, "job pid " + job.pid() + " runs on w1; took down " + w1.hostVeth);
            Duration down = rig.awaitState("w1", "down", STATE_CHANGE);
            report(scenario, "w1 down after " + down.toMillis() + " ms: " + rig.daemon.host("w1").map(StatusReply.HostStatus::reason).orElse("absent"));

            List<JobRecord> elsewhere = runShortJobs(scenario, 4);
            assertTrue(elsewhere.stream().noneMatch(j -> j.host().equals("w1")),
                "new jobs must avoid the cut worker: " + elsewhere);

            int code = job.waitFor(LINK_CUT_OBSERVE.minus(Duration.ofNanos(System.nanoTime() - cut)));
            Duration waited = Duration.ofNanos(System.nanoTime() - cut);
            report(scenario, "job ended with exit " + code + " " + waited.toMillis() + " ms after the cut");
            assertEquals(JobExitCodes.WORKER_LOST, code, "a job cut from its worker must end with the documented code"
                + " once the worker is marked down (not hang until TCP gives up); stderr: " + tail(job.stderrText()));

            w1.linkUp();
            long restored = System.nanoTime();
            Duration up = rig.awaitState("w1", "up", STATE_CHANGE);
            report(scenario, "link restored; w1 up again after " + up.toMillis() + " ms (by itself)");
            assertEvents("w1", "down", "up");
            reportOrphans(scenario, w1, restored);
        }
    }

    @Test
    @Order(2)
    void sshdKilledAndRestarted() throws Exception {
        String scenario = "2 sshd killed";
        NetnsWorker w2 = rig.worker("w2");
        try (ShimProcess job = startOn("w2", SystemRig.longTranscode(120))) {
            long killed = System.nanoTime();
            w2.killSshd(STATE_CHANGE);
            report(scenario, "killed sshd of w2 (PID 1 of the worker: its ffmpeg died with it)");
            int code = job.waitFor(STATE_CHANGE);
            report(scenario, "job on w2 ended with exit " + code + " after "
                + Duration.ofNanos(System.nanoTime() - killed).toMillis() + " ms; stderr tail: " + tail(job.stderrText()));
            assertEquals(JobExitCodes.WORKER_LOST, code, "job whose worker died; stderr: " + tail(job.stderrText()));
            Duration down = rig.awaitState("w2", "down", STATE_CHANGE);
            report(scenario, "w2 down after " + down.toMillis() + " ms: " + rig.daemon.host("w2").map(StatusReply.HostStatus::reason).orElse("absent"));

            List<JobRecord> elsewhere = runShortJobs(scenario, 4);
            assertTrue(elsewhere.stream().noneMatch(j -> j.host().equals("w2")), "jobs while w2 is dead: " + elsewhere);

            w2.startSshd(SystemRig.SETUP);
            long restarted = System.nanoTime();
            Duration up = rig.awaitState("w2", "up", STATE_CHANGE);
            report(scenario, "sshd restarted; w2 up after " + up.toMillis() + " ms");
            List<JobRecord> after = runShortJobs(scenario, 6);
            assertTrue(after.stream().anyMatch(j -> j.host().equals("w2")), "jobs resume on w2: " + after);
            report(scenario, "w2 took jobs again " + Duration.ofNanos(System.nanoTime() - restarted).toMillis()
                + " ms after the restart");
            assertEvents("w2", "down", "up");
        }
    }

    @Test
    @Order(3)
    void changedHostKeyIsUntrusted() throws Exception {
        String scenario = "6 host key changed";
        NetnsWorker w3 = rig.worker("w3");
        String pinned = w3.hostKeyFingerprint();
        w3.killSshd(STATE_CHANGE);
        w3.newHostKey();
        String offered = w3.hostKeyFingerprint();
        w3.startSshd(SystemRig.SETUP);
        report(scenario, "w3 restarted with a new host key " + offered + " (pinned: " + pinned + ")");
        Duration untrusted = rig.awaitState("w3", "untrusted", STATE_CHANGE);
        String reason = rig.daemon.host("w3").map(StatusReply.HostStatus::reason).orElse("absent");
        report(scenario, "w3 untrusted after " + untrusted.toMillis() + " ms: " + reason);
        assertTrue(reason.contains(offered), "the reason names the offered fingerprint " + offered + ": " + reason);

        List<JobRecord> jobs = runShortJobs(scenario, 6);
        assertTrue(jobs.stream().noneMatch(j -> j.host().equals("w3")), "no job on an untrusted host: " + jobs);

        rig.cli("host", "trust", "w3", "--yes");
        Duration up = rig.awaitState("w3", "up", STATE_CHANGE);
        report(scenario, "after `host trust w3 --yes` w3 up in " + up.toMillis() + " ms");
        assertEvents("w3", "untrusted", "up");
    }

    /**
     * The daemon does not reap a job it gave up on as WORKER_LOST once the worker is back (only
     * jobs of an earlier daemon run are reaped): its ffmpeg runs on until it ends by itself. Reported
     * (and measured), then killed so the next scenario starts clean.
     */
    private void reportOrphans(String scenario, NetnsWorker worker, long restored) throws InterruptedException {
        // The cut job's ffmpeg ran on behind the cut; the daemon ends it once the host answers again.
        SystemRig.await("ffmpeg of the lost job on " + worker.name + " to be reaped", STATE_CHANGE,
            () -> worker.ffmpegPids().isEmpty());
        report(scenario, worker.name + " idle " + Duration.ofNanos(System.nanoTime() - restored).toMillis()
            + " ms after the link came back (the lost job's ffmpeg was reaped)");
    }

    /** Drains the other workers so the balancer has one choice, starts the job, then enables them again. */
    private ShimProcess startOn(String host, List<String> args) throws Exception {
        List<String> others = rig.workers.keySet().stream().filter(n -> !n.equals(host)).toList();
        for (String other : others) {
            rig.cli("host", "drain", other);
            rig.awaitState(other, "drained", STATE_CHANGE);
        }
        ShimProcess job = rig.ffmpeg(args);
        boolean running = job.awaitStderr(SystemRig.RUNNING_MARK, TestTimeouts.MEDIUM);
        for (String other : others) {
            rig.cli("host", "enable", other);
        }
        assertTrue(running, "job did not start; stderr: " + job.stderrText());
        List<StatusReply.JobStatus> live = rig.daemon.status().jobs();
        assertEquals(1, live.size(), "one live job: " + live);
        assertEquals(host, live.get(0).host(), "the job runs on " + host + ": " + live);
        for (String other : others) {
            rig.awaitState(other, "up", STATE_CHANGE);
        }
        return job;
    }

    /** Runs {@code n} one-second transcodes at once; all must succeed. Returns their history rows. */
    private List<JobRecord> runShortJobs(String scenario, int n) throws Exception {
        long before = rig.jobs(1).stream().mapToLong(JobRecord::id).max().orElse(0);
        List<ShimProcess> runs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            runs.add(rig.ffmpeg(List.of("-hide_banner", "-nostdin", "-f", "lavfi", "-i", "testsrc=size=64x48:rate=10",
                "-t", "1", "-f", "null", "-")));
        }
        for (ShimProcess run : runs) {
            try (run) {
                int code = run.waitFor(TestTimeouts.MEDIUM);
                assertEquals(0, code, "short job; stderr: " + tail(run.stderrText()));
            }
        }
        SystemRig.await("history rows of " + n + " short jobs", TestTimeouts.SHORT,
            () -> rig.jobs(n + 5).stream().filter(j -> j.id() > before && j.state() != JobState.RUNNING).count() >= n);
        List<JobRecord> rows = rig.jobs(n + 5).stream().filter(j -> j.id() > before).toList();
        report(scenario, n + " new jobs ran on " + rows.stream().map(JobRecord::host).sorted().toList());
        return rows;
    }

    /** The store recorded the host going {@code first}, then {@code then}. */
    private void assertEvents(String host, String first, String then) {
        List<HostEvent> events = new ArrayList<>(rig.hostEvents(host));
        java.util.Collections.reverse(events);
        int firstAt = -1;
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).to().equals(first)) {
                firstAt = i;
            }
        }
        int at = firstAt;
        assertTrue(at >= 0 && events.subList(at, events.size()).stream().anyMatch(e -> e.to().equals(then)),
            host + " events must show " + first + " then " + then + ": "
                + events.stream().map(e -> e.from() + "->" + e.to()).toList());
        report("events", host + ": " + events.stream().map(e -> e.from() + "->" + e.to()).toList());
    }

    static String tail(String text) {
        String t = text.strip();
        return t.length() > 300 ? "..." + t.substring(t.length() - 300) : t;
    }
}
