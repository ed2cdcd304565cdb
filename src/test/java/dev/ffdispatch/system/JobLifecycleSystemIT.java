package dev.ffdispatch.system;

import static dev.ffdispatch.system.SystemRig.report;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ffdispatch.TestTimeouts;
import dev.ffdispatch.shim.ShimProcess;
import dev.ffdispatch.store.JobRecord;
import dev.ffdispatch.store.JobState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Jobs against everything that can die around them: shims SIGKILLed mid-transcode, the daemon
 * SIGKILLed under running jobs, and a burst of 200 calls. Nothing may be left running on a
 * worker, and the history must account for every job.
 */
class JobLifecycleSystemIT extends RigScenarios {
    static final int SHIM_KILLS = 50;
    static final int KILL_BATCH = 10;
    static final int DAEMON_KILL_JOBS = 10;
    static final int BURST_CALLS = 200;
    /** Concurrent shim JVMs per wave: the 2-core machine also runs the daemon, sshd and ffmpeg. */
    static final int BURST_WAVE = 16;
    /** From a kill to an empty worker: jobs.kill_grace (2 s) plus a kill command round trip, with room for load. */
    static final Duration CLEAN_UP = TestTimeouts.scaled(Duration.ofSeconds(20));


    @Test
    @Order(1)
    void shimsKilledMidTranscodeLeaveNothingRunning() throws Exception {
        String scenario = "3 shim SIGKILL x" + SHIM_KILLS;
        long before = lastJobId();
        long lastKill = 0;
        for (int batch = 0; batch < SHIM_KILLS / KILL_BATCH; batch++) {
            List<ShimProcess> shims = startRunning(KILL_BATCH);
            for (ShimProcess shim : shims) {
                shim.kill9();
            }
            lastKill = System.nanoTime();
            report(scenario, "batch " + (batch + 1) + ": " + KILL_BATCH + " shims SIGKILLed while running; ffmpeg on workers now "
                + counts());
        }
        long killed = lastKill;
        SystemRig.await("no ffmpeg left on any worker (" + counts() + ")", CLEAN_UP, () -> rig.ffmpegCount() == 0);
        report(scenario, "every worker empty " + Duration.ofNanos(System.nanoTime() - killed).toMillis()
            + " ms after the last kill");
        List<JobRecord> jobs = endedSince(before, SHIM_KILLS);
        report(scenario, "history: " + byState(jobs));
        assertEquals(Map.of(JobState.CANCELLED, (long) SHIM_KILLS), byState(jobs), "every killed shim's job is cancelled");
    }

    @Test
    @Order(2)
    void daemonKilledUnderRunningJobsReapsThemAfterRestart() throws Exception {
        String scenario = "4 daemon SIGKILL";
        long before = lastJobId();
        List<ShimProcess> shims = startRunning(DAEMON_KILL_JOBS);
        report(scenario, DAEMON_KILL_JOBS + " jobs running: " + counts());
        rig.daemon.kill9(TestTimeouts.SHORT);
        List<Integer> codes = new ArrayList<>();
        for (ShimProcess shim : shims) {
            codes.add(shim.waitFor(TestTimeouts.MEDIUM));
        }
        report(scenario, "daemon SIGKILLed; shims exited with " + codes + "; ffmpeg still on workers: " + counts());

        long restart = System.nanoTime();
        rig.daemon.start(SystemRig.SETUP);
        SystemRig.await("the reaper to empty every worker (" + counts() + ")", CLEAN_UP, () -> rig.ffmpegCount() == 0);
        report(scenario, "daemon restarted; every worker empty " + Duration.ofNanos(System.nanoTime() - restart).toMillis()
            + " ms after the restart");
        List<JobRecord> jobs = endedSince(before, DAEMON_KILL_JOBS);
        report(scenario, "history: " + byState(jobs));
        assertEquals(Map.of(JobState.LOST, (long) DAEMON_KILL_JOBS), byState(jobs), "jobs of the killed daemon are lost");

        rig.awaitAllUp(SystemRig.SETUP);
        for (int i = 0; i < 3; i++) {
            try (ShimProcess run = rig.ffmpeg(shortTranscode())) {
                assertEquals(0, run.waitFor(TestTimeouts.MEDIUM), "new job after the restart; stderr: " + run.stderrText());
            }
        }
        report(scenario, "new jobs after the restart: ok");
    }

    @Test
    @Order(3)
    void twoHundredConcurrentCalls() throws Exception {
        String scenario = "5 burst x" + BURST_CALLS;
        Path clip = rig.work.resolve("clip.mkv");
        Cmd.check(SystemRig.FFMPEG, "-hide_banner", "-nostdin", "-loglevel", "error", "-f", "lavfi", "-i",
            "testsrc=size=64x48:rate=10", "-t", "2", "-c:v", "mpeg4", clip.toString());
        List<String> probe = List.of("-v", "error", "-of", "json", "-show_format", "-show_streams", clip.toString());
        byte[] probeRef = local(SystemRig.FFPROBE, probe);
        byte[] transcodeRef = local(SystemRig.FFMPEG, shortTranscode());
        long before = lastJobId();
        long start = System.nanoTime();
        int done = 0;
        List<String> problems = new ArrayList<>();
        while (done < BURST_CALLS) {
            List<ShimProcess> wave = new ArrayList<>();
            List<byte[]> expected = new ArrayList<>();
            for (int i = 0; i < BURST_WAVE && done + i < BURST_CALLS; i++) {
                boolean isProbe = (done + i) % 2 == 0;
                wave.add(isProbe ? rig.ffprobe(probe) : rig.ffmpeg(shortTranscode()));
                expected.add(isProbe ? probeRef : transcodeRef);
            }
            for (int i = 0; i < wave.size(); i++) {
                try (ShimProcess run = wave.get(i)) {
                    int code = run.waitFor(TestTimeouts.LONG);
                    String stderr = run.stderrText();
                    if (code != 0 || stderr.contains("database is locked")) {
                        problems.add("call " + (done + i) + " exit " + code + ": " + WorkerFaultsSystemIT.tail(stderr));
                    } else {
                        assertArrayEquals(expected.get(i), run.stdout(), "stdout of call " + (done + i));
                    }
                }
            }
            done += wave.size();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertEquals(List.of(), problems, "every call exits 0 without 'database is locked'");
        List<JobRecord> jobs = endedSince(before, BURST_CALLS);
        Map<String, Long> hosts = new TreeMap<>(jobs.stream().collect(Collectors.groupingBy(JobRecord::host, Collectors.counting())));
        report(scenario, BURST_CALLS + " calls in waves of " + BURST_WAVE + " took " + took.toMillis() + " ms ("
            + took.toMillis() / BURST_CALLS + " ms/call); by host " + hosts + "; history " + byState(jobs));
        assertEquals(Map.of(JobState.OK, (long) BURST_CALLS), byState(jobs), "200 ended rows, all ok");
        assertFalse(rig.daemon.log().contains("database is locked"), "the daemon log mentions 'database is locked'");
    }

    /** Starts {@code n} long transcodes at once and waits until each runs on a worker. */
    private List<ShimProcess> startRunning(int n) throws Exception {
        List<ShimProcess> shims = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            shims.add(rig.ffmpeg(SystemRig.longTranscode(120)));
        }
        for (ShimProcess shim : shims) {
            assertTrue(shim.awaitStderr(SystemRig.RUNNING_MARK, TestTimeouts.MEDIUM),
                "job did not start; stderr: " + WorkerFaultsSystemIT.tail(shim.stderrText()));
        }
        return shims;
    }

    static List<String> shortTranscode() {
        return List.of("-hide_banner", "-nostdin", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc=size=64x48:rate=10",
            "-t", "1", "-f", "framemd5", "-");
    }

    private byte[] local(String program, List<String> args) {
        List<String> command = new ArrayList<>(List.of(program));
        command.addAll(args);
        return Cmd.run(Map.of(), TestTimeouts.MEDIUM, command.toArray(String[]::new)).orThrow().stdout()
            .getBytes(StandardCharsets.UTF_8);
    }

    private String counts() {
        return rig.ffmpegOnWorkers().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().size())
            .collect(Collectors.joining(" "));
    }

    private long lastJobId() {
        return rig.jobs(1).stream().mapToLong(JobRecord::id).max().orElse(0);
    }

    /** Waits until {@code n} jobs after {@code before} have ended; returns them. */
    private List<JobRecord> endedSince(long before, int n) throws InterruptedException {
        SystemRig.await(n + " jobs ended in the history", CLEAN_UP, () -> rig.jobs(n + 10).stream()
            .filter(j -> j.id() > before && j.state() != JobState.RUNNING).count() >= n);
        return rig.jobs(n + 10).stream().filter(j -> j.id() > before).toList();
    }

    private static Map<JobState, Long> byState(List<JobRecord> jobs) {
        return new TreeMap<>(jobs.stream().collect(Collectors.groupingBy(JobRecord::state, Collectors.counting())));
    }
}
