package dev.ffdispatch.daemon;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ffdispatch.TestLogins;
import dev.ffdispatch.TestTimeouts;
import dev.ffdispatch.caps.CapabilityProbes;
import dev.ffdispatch.cli.CliRunner;
import dev.ffdispatch.protocol.Tool;
import dev.ffdispatch.shim.BothClients;
import dev.ffdispatch.shim.ShimClient;
import dev.ffdispatch.shim.ShimProcess;
import dev.ffdispatch.store.JobRecord;
import dev.ffdispatch.store.Store;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Capability-aware dispatch against two SSH workers whose ffmpeg differ, with real ffmpeg. What is
 * real and what is not: the workers are SSH servers in this JVM (MINA) running every command with
 * the real /bin/sh, each with its own process count, so one worker's jobs never show as foreign load
 * on the other, as they would with two OpenSSH servers on one machine (OpenSshDispatchIT covers
 * learning and answering through OpenSSH). Both run this machine's ffmpeg through the ffmpeg
 * configured for them, a small wrapper script that counts every run in a file. On "nox264" the
 * wrapper also leaves libx264 out of {@code -encoders} and refuses {@code libx264} as an ffmpeg
 * built without it refuses an unknown encoder; everything else is the real ffmpeg's. "nox264" has
 * weight 2, "x264" weight 1: without capabilities nox264 would get most jobs and answer the probes
 * (it ranks first when idle).
 */
class CapabilityDispatchIT extends DaemonItBase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> X264_JOB = List.of("-hide_banner", "-loglevel", "error", "-re", "-f", "lavfi", "-i",
        "testsrc=duration=1:size=64x64:rate=10", "-c:v", "libx264", "-f", "null", "-");

    private Path bin;

    private void start(Map<String, String> env, String... routes) throws Exception {
        bin = TestLogins.shareWithLogins(home.resolve("bin"));
        Path full = wrapper("x264", "exec " + DaemonHarness.FFMPEG + " \"$@\"");
        Path nox264 = wrapper("nox264", String.join("\n",
            "for a in \"$@\"; do",
            "    if [ \"$a\" = libx264 ]; then echo \"Unknown encoder 'libx264'\" >&2; exit 1; fi",
            "done",
            "for a in \"$@\"; do",
            "    if [ \"$a\" = -encoders ]; then",
            "        out=$(mktemp) || exit 1",
            "        " + DaemonHarness.FFMPEG + " \"$@\" >\"$out\"; rc=$?",
            "        grep -v ' libx264' \"$out\"; rm -f \"$out\"; exit $rc",
            "    fi",
            "done",
            "exec " + DaemonHarness.FFMPEG + " \"$@\""));
        wrapper("ffprobe", "exec /usr/bin/ffprobe \"$@\""); // beside the configured ffmpeg, as Jellyfin has it
        Files.move(bin.resolve("ffmpeg-ffprobe"), bin.resolve("ffprobe"));
        Map<String, String> all = new HashMap<>(env);
        harness = new DaemonHarness(home, all);
        harness.addWorker("x264", 1, full.toString());
        harness.addWorker("nox264", 2, nox264.toString());
        for (int i = 0; i < routes.length; i += 2) { // before the start, which reads them
            CliRunner.Result add = cli("route", "add", routes[i], routes[i + 1]);
            assertEquals(0, add.code(), add.err());
        }
        harness.start();
        harness.awaitUp("x264", "nox264");
    }

    /** {@code bin/ffmpeg-<name>}: counts its runs in {@code bin/<name>.runs}, then {@code body}. */
    private Path wrapper(String name, String body) throws IOException {
        Path runs = Files.createFile(bin.resolve(name + ".runs"), PosixFilePermissions.asFileAttribute(
            PosixFilePermissions.fromString("rw-rw-rw-")));
        Files.setPosixFilePermissions(runs, PosixFilePermissions.fromString("rw-rw-rw-"));
        Path script = bin.resolve("ffmpeg-" + name);
        Files.writeString(script, "#!/bin/sh\n# CapabilityDispatchIT fixture: the system's ffmpeg, each run counted.\n"
            + "echo run >>'" + runs + "'\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    private long runs(String worker) throws IOException {
        return Files.readAllLines(bin.resolve(worker + ".runs")).size();
    }

    private static byte[][] direct(Path program, List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of(program.toString()));
        command.addAll(args);
        Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        byte[] out = p.getInputStream().readAllBytes();
        return new byte[][] {out, err.get(), {(byte) p.waitFor()}};
    }

    private static byte[] readAll(InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private CliRunner.Result cli(String... args) {
        return new CliRunner(home).run(args);
    }

    /** Where each job of the history ran, by its command line. */
    private Map<String, Long> hostsOf(String commandPart) {
        try (Store store = Store.open(harness.config.state())) {
            return store.jobs(1000, null, false).stream().filter(j -> j.command().contains(commandPart))
                .collect(Collectors.groupingBy(JobRecord::host, Collectors.counting()));
        }
    }

    private List<SocketJobs.Result> burst(List<String> args, int n) {
        List<CompletableFuture<SocketJobs.Result>> jobs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            jobs.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return harness.call(Tool.FFMPEG, DaemonHarness.bytes(args.toArray(String[]::new)), new byte[0]);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }));
        }
        return jobs.stream().map(CompletableFuture::join).toList();
    }

    @BothClients
    void probesComeFromTheChosenWorkersProfileAndLibx264JobsGoWhereItIs(ShimClient client) throws Exception {
        start(Map.of());
        Path nox264 = bin.resolve("ffmpeg-nox264");
        List<byte[][]> expected = new ArrayList<>();
        for (String probe : CapabilityProbes.LEARNED) {
            expected.add(direct(nox264, List.of(probe)));
        }
        long x264Runs = runs("x264");
        long nox264Runs = runs("nox264");
        for (int i = 0; i < CapabilityProbes.LEARNED.size(); i++) {
            String probe = CapabilityProbes.LEARNED.get(i);
            try (ShimProcess shim = harness.shim(client, home, "ffmpeg", List.of(probe))) {
                shim.closeStdin();
                assertEquals(expected.get(i)[2][0], shim.waitFor(TestTimeouts.MEDIUM), probe);
                assertArrayEquals(expected.get(i)[0], shim.stdout(), "stdout of " + probe);
                assertArrayEquals(expected.get(i)[1], shim.stderr(), "stderr of " + probe);
            }
        }
        assertFalse(new String(expected.get(1)[0], StandardCharsets.UTF_8).contains("libx264"),
            "-encoders came from nox264, the worker the balancer ranks first");
        assertEquals(x264Runs, runs("x264"), "no ffmpeg ran on x264");
        assertEquals(nox264Runs, runs("nox264"), "no ffmpeg ran on nox264");
        assertEquals(Map.of(), hostsOf("-version"), "nothing ran, so nothing is in the history");
        long ffprobeRuns = runs("ffprobe");
        byte[][] ffprobeVersion = direct(bin.resolve("ffprobe"), List.of("-version"));
        try (ShimProcess shim = harness.shim(client, home, "ffprobe", List.of("-version"))) {
            shim.closeStdin();
            assertEquals(0, shim.waitFor(TestTimeouts.MEDIUM));
            assertArrayEquals(ffprobeVersion[0], shim.stdout(), "ffprobe's own answer");
        }
        assertEquals(ffprobeRuns + 1, runs("ffprobe"), "only the direct run above ran ffprobe");

        // A probe asked for the first time runs once, on the worker it is answered from later.
        byte[][] help = direct(nox264, List.of("-h", "filter=scale"));
        long before = runs("nox264");
        for (int i = 0; i < 2; i++) {
            SocketJobs.Result r = harness.call(Tool.FFMPEG, DaemonHarness.bytes("-h", "filter=scale"), new byte[0]);
            assertArrayEquals(help[0], r.stdout());
            assertArrayEquals(help[1], r.stderr());
        }
        assertEquals(before + 1, runs("nox264"), "run the first time, answered the second");
        nox264Runs = runs("nox264");

        List<SocketJobs.Result> results = burst(X264_JOB, 6);
        for (SocketJobs.Result r : results) {
            assertEquals(0, r.exitCode(), r.stderrText());
            assertEquals("", r.stderrText(), "a worker had what the job needs: nothing to say");
        }
        assertEquals(Map.of("x264", 6L), hostsOf("libx264"), "every libx264 job ran where libx264 is");
        assertEquals(x264Runs + 6, runs("x264"));
        assertEquals(nox264Runs, runs("nox264"));

        // Jobs both workers can run spread by the formula, unchanged: weights 2 and 1 -> 4 and 2.
        List<String> mpeg4 = new ArrayList<>(X264_JOB);
        mpeg4.set(mpeg4.indexOf("libx264"), "mpeg4");
        burst(mpeg4, 6).forEach(r -> assertEquals(0, r.exitCode(), r.stderrText()));
        assertEquals(Map.of("nox264", 4L, "x264", 2L), hostsOf("mpeg4"));

        JsonNode status = JSON.readTree(cli("status", "--json").out());
        for (JsonNode host : status.get("hosts")) {
            JsonNode profile = host.get("profile");
            assertNotNull(profile, host.toString());
            assertTrue(profile.get("ffmpeg").asText().endsWith("ffmpeg-" + host.get("name").asText()), profile.toString());
            assertTrue(profile.get("version").asText().matches("[0-9].*"), profile.toString());
            assertTrue(profile.get("hwaccels_not_working").toString().contains("vaapi"), "no /dev/dri here: " + profile);
        }
        CliRunner.Result show = cli("host", "show", "nox264");
        assertTrue(show.out().contains("hwaccels:"), show.out());
        assertTrue(show.out().contains("listed, not working here:"), show.out());
    }

    /** With no worker, probes are answered from this machine's profile (its ffmpeg a counting wrapper here). */
    @Test
    void withoutWorkersProbesAreAnsweredFromThisMachinesProfile() throws Exception {
        bin = TestLogins.shareWithLogins(home.resolve("bin"));
        Path local = wrapper("local", "exec " + DaemonHarness.FFMPEG + " \"$@\"");
        harness = new DaemonHarness(home, Map.of("FFDISPATCH_LOCAL_FFMPEG", local.toString()));
        harness.start();
        harness.awaitProfiles();
        List<byte[][]> expected = new ArrayList<>();
        for (String probe : CapabilityProbes.LEARNED) {
            expected.add(direct(local, List.of(probe)));
        }
        long runs = runs("local");
        for (int i = 0; i < expected.size(); i++) {
            SocketJobs.Result r = harness.call(Tool.FFMPEG, DaemonHarness.bytes(CapabilityProbes.LEARNED.get(i)), new byte[0]);
            assertEquals(expected.get(i)[2][0], r.exitCode());
            assertArrayEquals(expected.get(i)[0], r.stdout());
            assertArrayEquals(expected.get(i)[1], r.stderr());
        }
        assertEquals(runs, runs("local"), "no ffmpeg ran here either");
        JsonNode status = JSON.readTree(cli("status", "--json").out());
        assertTrue(status.get("local").get("profile").get("ffmpeg").asText().endsWith("ffmpeg-local"), status.toString());
    }

    /** A daemon started again answers from the stored profiles: the workers' binaries are checked, not run. */
    @Test
    void aRestartedDaemonLearnsNothingAgain() throws Exception {
        start(Map.of());
        long x264Runs = runs("x264");
        long nox264Runs = runs("nox264");
        harness.restartDaemon();
        harness.awaitUp("x264", "nox264");
        try (ShimProcess shim = harness.shim(ShimClient.NATIVE, home, "ffmpeg", List.of("-encoders"))) {
            shim.closeStdin();
            assertEquals(0, shim.waitFor(TestTimeouts.MEDIUM));
            assertArrayEquals(direct(bin.resolve("ffmpeg-nox264"), List.of("-encoders"))[0], shim.stdout());
        }
        assertEquals(x264Runs, runs("x264"), "nothing learned again on x264");
        assertEquals(nox264Runs + 1, runs("nox264"), "only the direct run above");
    }

    /** A routing rule sends a class of jobs to named hosts; among them the formula ranks as always. */
    @Test
    void aRoutingRuleSendsMatchingJobsToItsHosts() throws Exception {
        start(Map.of(), "-c:v mpeg4", "x264");
        List<String> mpeg4 = new ArrayList<>(X264_JOB);
        mpeg4.set(mpeg4.indexOf("libx264"), "mpeg4");
        burst(mpeg4, 4).forEach(r -> assertEquals(0, r.exitCode(), r.stderrText()));
        assertEquals(Map.of("x264", 4L), hostsOf("mpeg4"));
        assertTrue(cli("route", "list").out().contains("-c:v mpeg4"));
    }

    /**
     * No worker that can take the job has libx264: it runs here when this machine's ffmpeg has it;
     * with the local fallback off it runs on the best worker as before, with one line on stderr.
     */
    @Test
    void whenNoWorkerHasItTheJobRunsHereOrOnTheBestWorkerWithALine() throws Exception {
        start(Map.of("FFDISPATCH_LOCAL_FALLBACK", "false"));
        cli("host", "drain", "x264");
        harness.awaitState("DRAINED", "x264");
        SocketJobs.Result r = harness.call(Tool.FFMPEG, DaemonHarness.bytes(X264_JOB.toArray(String[]::new)), new byte[0]);
        assertEquals(1, r.exitCode(), "nox264 refuses libx264, as an ffmpeg without it does");
        List<String> lines = r.stderrText().lines().toList();
        assertEquals("ffdispatch: no worker that can take this job now has encoder libx264 (this machine's ffmpeg has it,"
            + " but local.fallback is off); running it on nox264 anyway", lines.get(0));
        assertEquals("Unknown encoder 'libx264'", lines.get(1));
        assertEquals(2, lines.size());
    }
}
