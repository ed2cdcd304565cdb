package dev.ffdispatch.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ffdispatch.TestTimeouts;
import dev.ffdispatch.cli.CliRunner;
import dev.ffdispatch.config.StateConfig;
import dev.ffdispatch.demo.LoopbackWorker;
import dev.ffdispatch.metrics.PromText;
import dev.ffdispatch.protocol.Tool;
import dev.ffdispatch.ssh.HostKeys;
import dev.ffdispatch.ssh.SshTarget;
import dev.ffdispatch.store.NewHost;
import dev.ffdispatch.store.Store;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The operator's view of a running daemon: status and jobs through the real CLI, and metrics
 * scraped over HTTP after real jobs, checked against what happened.
 */
class OperatorIT extends DaemonItBase {
    private static final ObjectMapper JSON = new ObjectMapper();


    private CliRunner.Result cli(String... args) {
        return new CliRunner(home).run(args);
    }

    @Test
    void statusShowsHostsAndTheRunningJobThenJobsShowsItsEnd() throws Exception {
        harness = new DaemonHarness(home, Map.of());
        harness.addWorker("w1", 2, "/bin/sh");
        harness.start();
        harness.awaitUp("w1");
        CompletableFuture<SocketJobs.Result> job = CompletableFuture.supplyAsync(() -> call("-c", "sleep 2; exit 3"));
        awaitLiveJobs(1);

        CliRunner.Result text = cli("status");
        assertEquals(0, text.code(), text.err());
        assertTrue(text.out().startsWith("daemon: running, pid " + ProcessHandle.current().pid()), text.out());
        assertTrue(text.out().matches("(?s).*\\nw1 +up +answered: 0 ffmpeg running.*"), text.out());
        assertTrue(text.out().matches("(?s).*\\n-?\\d+ +w1 +ffmpeg +\\d+s +\\d+ +-c sleep 2; exit 3\\n.*"), text.out());

        JsonNode status = JSON.readTree(cli("status", "--json").out());
        assertTrue(status.get("daemon").get("running").asBoolean());
        JsonNode host = status.get("hosts").get(0);
        assertEquals("up", host.get("state").asText());
        assertEquals(1, host.get("own").asInt());
        assertEquals(1000 / 2 - 2, host.get("score").asInt(), "score = active*1000/weight - weight");
        assertEquals("w1", status.get("jobs").get(0).get("host").asText());

        assertEquals(3, job.get(TestTimeouts.MEDIUM.toSeconds(), TimeUnit.SECONDS).exitCode());
        JsonNode history = awaitJobs(1);
        assertEquals("w1", history.get(0).get("host").asText());
        assertEquals(3, history.get(0).get("exit_code").asInt());
        assertEquals("failed", history.get(0).get("state").asText());
        // The daemon stamps the start when the PID line reaches it, a moment after "sleep 2" began.
        long duration = history.get(0).get("duration_ms").asLong();
        assertTrue(duration >= 1500 && duration < 2000 + TestTimeouts.SHORT.toMillis(), history.toString());
        assertTrue(cli("jobs", "--failed").out().contains("w1"));
    }

    @Test
    void statusJsonHasTheSameKeysWithTheDaemonUpOrDown() throws Exception {
        harness = new DaemonHarness(home, Map.of());
        harness.addWorker("w1", 2, "/bin/sh");
        harness.start();
        harness.awaitUp("w1");
        CompletableFuture<SocketJobs.Result> job = CompletableFuture.supplyAsync(() -> call("-c", "sleep 1"));
        awaitLiveJobs(1);
        JsonNode up = JSON.readTree(cli("status", "--json").out());
        assertEquals(0, job.get(TestTimeouts.MEDIUM.toSeconds(), TimeUnit.SECONDS).exitCode());
        StateConfig state = harness.config.state();
        harness.close();
        harness = null;
        try (Store store = Store.open(state)) { // what a daemon killed mid-job leaves
            store.jobStarted("ffmpeg", "w1", "-i x", Instant.now(), "an-earlier-run");
        }
        CliRunner.Result downCli = cli("status", "--json");
        assertEquals(3, downCli.code(), downCli.err());
        JsonNode down = JSON.readTree(downCli.out());
        assertTrue(up.get("daemon").get("running").asBoolean());
        assertTrue(!down.get("daemon").get("running").asBoolean());
        assertEquals(keys(up), keys(down));
        assertEquals(keys(up.get("daemon")), keys(down.get("daemon")));
        assertEquals(keys(up.get("state")), keys(down.get("state")));
        assertEquals(keys(up.get("hosts").get(0)), keys(down.get("hosts").get(0)));
        assertEquals(keys(up.get("jobs").get(0)), keys(down.get("jobs").get(0)));
    }

    private static List<String> keys(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void aHostThatIsNotUpHasNoScore() throws Exception {
        harness = new DaemonHarness(home, Map.of());
        LoopbackWorker live = harness.addWorker("w1", 1, "/bin/sh");
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String user = System.getProperty("user.name");
        new HostKeys(harness.config.state().knownHosts())
            .pin(new SshTarget("dead", "127.0.0.1", closedPort, user), live.hostKey());
        try (Store store = Store.open(harness.config.state())) {
            store.addHost(new NewHost("dead", "127.0.0.1", closedPort, user, 1, null, null, null, List.of(), null));
        }
        harness.start();
        harness.awaitUp("w1");
        harness.awaitState("DOWN", "dead");

        JsonNode hosts = JSON.readTree(cli("status", "--json").out()).get("hosts");
        assertEquals("w1", hosts.get(0).get("name").asText());
        assertEquals(-1, hosts.get(0).get("score").asInt(), "an idle weight-1 host that is up scores -1");
        assertEquals("dead", hosts.get(1).get("name").asText());
        assertEquals("down", hosts.get(1).get("state").asText());
        assertTrue(hosts.get(1).get("score").isNull(), hosts.toString());

        String text = cli("status").out();
        String dead = text.lines().filter(l -> l.startsWith("dead ")).findFirst().orElseThrow();
        assertTrue(dead.matches("dead +down .* 1 +0/0 +- .*"), "no score for a down host: " + text);
    }

    @Test
    void metricsScrapedOverHttpMatchTheJobsThatRan() throws Exception {
        Map<String, String> env = new HashMap<>(DaemonHarness.METRICS);
        env.putAll(Map.of("FFDISPATCH_ROUTING_LOCAL_TOOLS", "ffprobe", "FFDISPATCH_LOCAL_FFPROBE", "/usr/bin/ffprobe"));
        harness = new DaemonHarness(home, env);
        harness.addWorker("big", 4, DaemonHarness.FFMPEG);
        harness.addWorker("small", 2, DaemonHarness.FFMPEG);
        harness.workers.get("small").foreignFfmpeg(1);
        harness.start();
        harness.awaitUp("big", "small");
        try {
            int ffmpegJobs = 5;
            for (int i = 0; i < ffmpegJobs; i++) {
                assertEquals(0, harness.call(Tool.FFMPEG, DaemonHarness.bytes("-hide_banner", "-f", "lavfi", "-i",
                    "testsrc=duration=0.2:size=32x32:rate=10", "-f", "null", "-"), new byte[0]).exitCode());
            }
            // Not a capability probe (those are answered from the profile and leave no history): a run.
            assertEquals(0, harness.call(Tool.FFPROBE, DaemonHarness.bytes("-loglevel", "error", "-version"), new byte[0]).exitCode());
            assertEquals(1, harness.call(Tool.FFMPEG, DaemonHarness.bytes("-no-such-option"), new byte[0]).exitCode());
            JsonNode history = awaitJobs(ffmpegJobs + 2);
            String text = harness.scrape();

            double big = PromText.value(text, "ffdispatch_jobs_started_total", "host=\"big\"", "tool=\"ffmpeg\"");
            double small = PromText.value(text, "ffdispatch_jobs_started_total", "host=\"small\"", "tool=\"ffmpeg\"");
            assertEquals(ffmpegJobs + 1, big + (Double.isNaN(small) ? 0 : small), text);
            assertEquals(count(history, "big"), big, "metrics and the job history agree");
            assertEquals(1.0, PromText.value(text, "ffdispatch_jobs_started_total", "host=\"local\"", "tool=\"ffprobe\""));
            assertEquals(1.0, PromText.value(text, "ffdispatch_jobs_finished_total", "host=\"local\"", "outcome=\"ok\""));
            assertEquals(1.0, PromText.value(text, "ffdispatch_jobs_finished_total", "outcome=\"failed\""), text);
            assertEquals(1.0, PromText.value(text, "ffdispatch_fallbacks_total", "reason=\"routing\""), text);
            assertEquals(ffmpegJobs + 2, PromText.value(text, "ffdispatch_dispatch_latency_seconds_count"), text);
            assertEquals(ffmpegJobs + 2, PromText.value(text, "ffdispatch_dispatch_latency_seconds_bucket", "le=\"+Inf\""), text);
            assertEquals(0.0, PromText.value(text, "ffdispatch_jobs_active", "host=\"big\""), text);
            assertEquals(1.0, PromText.value(text, "ffdispatch_host_up", "host=\"big\""), text);
            assertEquals(1.0, PromText.value(text, "ffdispatch_host_up", "host=\"small\""), text);
            assertEquals(1.0, PromText.value(text, "ffdispatch_host_foreign_jobs", "host=\"small\""), text);
            assertEquals(-4.0, PromText.value(text, "ffdispatch_host_score", "host=\"big\""), "idle weight-4 host scores -4");
            assertTrue(PromText.value(text, "ffdispatch_poll_latency_seconds_count", "host=\"big\"") >= 1, text);
            assertTrue(PromText.sum(text, "jvm_memory_used_bytes", "area=\"heap\"") > 0, text);
            assertTrue(text.contains("jvm_gc_") && text.contains("jvm_threads_live_threads") && text.contains("process_cpu_usage"));
        } finally {
            harness.close();
            harness = null;
        }
    }

    private static double count(JsonNode history, String host) {
        int n = 0;
        for (JsonNode job : history) {
            n += job.get("host").asText().equals(host) ? 1 : 0;
        }
        return n;
    }

    private SocketJobs.Result call(String... args) {
        try {
            return harness.call(Tool.FFMPEG, DaemonHarness.bytes(args), new byte[0]);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void awaitLiveJobs(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TestTimeouts.MEDIUM.toNanos();
        while (harness.status().jobs().size() < n) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(n + " live job(s) expected in time");
            }
            Thread.sleep(20);
        }
    }

    /** The ledger writes history on its own thread: wait until {@code n} jobs have ended there. */
    private JsonNode awaitJobs(int n) throws Exception {
        long deadline = System.nanoTime() + TestTimeouts.MEDIUM.toNanos();
        while (true) {
            JsonNode jobs = JSON.readTree(cli("jobs", "--json", "--limit", "1000").out());
            int ended = 0;
            for (JsonNode job : jobs) {
                ended += job.get("ended").isNull() ? 0 : 1;
            }
            if (ended >= n) {
                return jobs;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(n + " ended jobs expected; history: " + jobs);
            }
            Thread.sleep(Duration.ofMillis(50).toMillis());
        }
    }
}
