package dev.ffdispatch.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ffdispatch.TestTimeouts;
import dev.ffdispatch.protocol.Tool;
import dev.ffdispatch.shim.BothClients;
import dev.ffdispatch.shim.ShimClient;
import dev.ffdispatch.shim.ShimProcess;
import dev.ffdispatch.store.HostChanges;
import dev.ffdispatch.store.Store;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Placement, health and live changes with a real daemon and real loopback SSH workers. */
class BalancerIT extends DaemonItBase {
    /** Waits for one line on stdin: the job stays alive until the test lets it go. */
    private static final List<String> HOLD = List.of("-c", "read line; echo done");

    @BothClients
    void fiftySimultaneousShimsLandExactlyAsTheFormulaSays(ShimClient client) throws Exception {
        harness = new DaemonHarness(home, Map.of()); // one probe at start: placement only
        Map<String, Integer> weights = new LinkedHashMap<>(Map.of("a", 4, "b", 2, "c", 1));
        for (Map.Entry<String, Integer> w : weights.entrySet()) {
            harness.addWorker(w.getKey(), w.getValue(), "/bin/sh");
        }
        harness.start();
        harness.awaitUp("a", "b", "c");
        List<ShimProcess> shims = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                shims.add(harness.shim(client, home, "ffmpeg", HOLD));
            }
            awaitLiveJobs(50);
            Map<String, Integer> placed = new TreeMap<>();
            harness.status().jobs().forEach(j -> placed.merge(j.host(), 1, Integer::sum));
            assertEquals(formula(weights, 50), placed);
            for (ShimProcess shim : shims) {
                shim.writeStdin("go\n");
                shim.closeStdin();
            }
            for (ShimProcess shim : shims) {
                assertEquals(0, shim.waitFor(TestTimeouts.LONG), shim.stderrText());
                assertEquals("done\n", shim.stdoutText());
            }
        } finally {
            shims.forEach(ShimProcess::close);
        }
    }

    @Test
    void aWorkerThatDiesGetsNoJobsAndComesBackByItself() throws Exception {
        harness = new DaemonHarness(home, DaemonHarness.FAST_POLL);
        harness.addWorker("big", 4, "/bin/sh");
        harness.addWorker("small", 1, "/bin/sh");
        harness.start();
        harness.awaitUp("big", "small");
        assertEquals("big", hostOfNextJob());

        harness.workers.get("big").stop();
        harness.awaitState("DOWN", "big");
        for (int i = 0; i < 3; i++) {
            assertEquals("small", hostOfNextJob());
        }

        harness.workers.get("big").restart();
        harness.awaitUp("big"); // no admin action: back-off re-probes find it
        assertEquals("big", hostOfNextJob());
        List<String> transitions = harness.daemon().store().hostEvents("big", 20).stream().map(e -> e.to()).toList();
        assertTrue(transitions.contains("down") && transitions.contains("up"), transitions.toString());
    }

    @Test
    void foreignFfmpegProcessesPushJobsElsewhere() throws Exception {
        harness = new DaemonHarness(home, DaemonHarness.FAST_POLL);
        harness.addWorker("busy", 2, "/bin/sh");
        harness.addWorker("idle", 1, "/bin/sh");
        harness.start();
        harness.awaitUp("busy", "idle");
        assertEquals("busy", hostOfNextJob());
        harness.workers.get("busy").foreignFfmpeg(3); // someone else's transcodes on that machine
        long deadline = System.nanoTime() + TestTimeouts.SHORT.toNanos();
        while (harness.host("busy").map(h -> h.foreign() != 3).orElse(true) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals("idle", hostOfNextJob());
    }

    @Test
    void weightAndDrainChangesFromTheCliTakeEffectWithinOneSecond() throws Exception {
        harness = new DaemonHarness(home, Map.of());
        harness.addWorker("x", 1, "/bin/sh");
        harness.addWorker("y", 2, "/bin/sh");
        harness.start();
        harness.awaitUp("x", "y");
        assertEquals("y", hostOfNextJob());
        try (Store cli = Store.open(harness.config.state())) { // another connection, like the CLI
            cli.updateHost("x", HostChanges.weight(10));
            long t0 = System.nanoTime();
            while (harness.host("x").map(h -> h.weight() != 10).orElse(true)) {
                assertTrue(System.nanoTime() - t0 < 1_000_000_000L, "weight change not seen within 1 s");
                Thread.sleep(10);
            }
            assertEquals("x", hostOfNextJob());
            cli.setDrained("x", true);
            Thread.sleep(1000);
            assertEquals("y", hostOfNextJob());
        }
    }

    private String hostOfNextJob() throws Exception {
        String marker = "job-" + java.util.UUID.randomUUID();
        SocketJobs.Result result = harness.call(Tool.FFMPEG, DaemonHarness.bytes("-c", "echo " + marker), new byte[0]);
        assertEquals(0, result.exitCode(), result.stderrText());
        assertEquals(marker + "\n", new String(result.stdout(), StandardCharsets.UTF_8));
        return harness.workers.values().stream()
            .filter(w -> w.commands().stream().anyMatch(c -> c.contains(marker)))
            .map(w -> w.name()).findFirst().orElse("local");
    }

    private void awaitLiveJobs(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TestTimeouts.LONG.toNanos();
        while (harness.status().jobs().size() < n && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(n, harness.status().jobs().size(), "live jobs");
    }

    /** The ranking formula, step by step, independently of the production code. */
    static Map<String, Integer> formula(Map<String, Integer> weights, int jobs) {
        Map<String, Integer> active = new TreeMap<>();
        weights.keySet().forEach(h -> active.put(h, 0));
        for (int n = 0; n < jobs; n++) {
            String best = null;
            for (String h : weights.keySet()) {
                if (best == null) {
                    best = h;
                    continue;
                }
                long s = active.get(h) * 1000L / weights.get(h) - weights.get(h);
                long b = active.get(best) * 1000L / weights.get(best) - weights.get(best);
                if (s < b || (s == b && weights.get(h) > weights.get(best))) {
                    best = h;
                }
            }
            active.merge(best, 1, Integer::sum);
        }
        return active;
    }
}
