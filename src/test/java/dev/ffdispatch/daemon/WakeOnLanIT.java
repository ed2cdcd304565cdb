package dev.ffdispatch.daemon;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ffdispatch.PgServer;
import dev.ffdispatch.TestTimeouts;
import dev.ffdispatch.demo.LoopbackWorker;
import dev.ffdispatch.metrics.PromText;
import dev.ffdispatch.protocol.Tool;
import dev.ffdispatch.store.HostChanges;
import dev.ffdispatch.store.HostRecord;
import dev.ffdispatch.store.JobRecord;
import dev.ffdispatch.store.Store;
import dev.ffdispatch.store.WakeOnLan;
import dev.ffdispatch.wake.MagicPacket;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Wake-on-LAN end to end: a worker that is down and has a MAC is sent a magic packet (to a
 * loopback UDP listener here, never a real broadcast) when a job is dispatched, once per
 * poll.wake_interval; status shows it waking; once it answers it takes jobs again. With the
 * state on SQLite (one server, the in-memory book) and on PostgreSQL (the shared book).
 */
class WakeOnLanIT extends DaemonItBase {
    private static final String MAC = "02:00:5e:10:00:01";

    @Test
    void aDownWorkerIsWokenOnceWhenJobsWouldGoThereAndUsedWhenItAnswers() throws Exception {
        wakeAndUse(Map.of());
    }

    /** The same with the state on PostgreSQL: the shared host book, the wake columns read from there. */
    @Test
    void aWorkerInASharedPoolIsWokenTheSameWay() throws Exception {
        PgServer pg = PgServer.shared();
        wakeAndUse(Map.of("FFDISPATCH_STATE_DATABASE", pg.url(pg.newDatabase()), "FFDISPATCH_STATE_SERVER_NAME", "jf1"));
        assertTrue(harness.daemon().store().shared());
    }

    private void wakeAndUse(Map<String, String> stateEnv) throws Exception {
        try (DatagramSocket lan = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            lan.setSoTimeout((int) TestTimeouts.MEDIUM.toMillis());
            Map<String, String> env = new HashMap<>(DaemonHarness.FAST_POLL);
            env.putAll(DaemonHarness.METRICS);
            env.put("FFDISPATCH_POLL_WAKE_INTERVAL", "10m");
            env.putAll(stateEnv);
            harness = new DaemonHarness(home, env);
            LoopbackWorker worker = harness.addWorker("sleepy", 1, DaemonHarness.FFMPEG);
            try (Store store = Store.open(harness.config.state())) {
                store.updateHost("sleepy", new HostChanges(null, null, null, null, null, null, null, null,
                    new WakeOnLan(MAC, "127.0.0.1:" + lan.getLocalPort())));
            }
            worker.stop(); // switched off
            harness.start();
            harness.awaitState("DOWN", "sleepy");

            assertEquals(0, version().exitCode(), "runs locally meanwhile");
            DatagramPacket packet = new DatagramPacket(new byte[512], 512);
            lan.receive(packet);
            assertArrayEquals(MagicPacket.of(HexFormat.of().parseHex(MAC.replace(":", ""))),
                Arrays.copyOf(packet.getData(), packet.getLength()));
            assertEquals("waking", hostStatus().get("state").asText());
            assertTrue(hostStatus().get("reason").asText().contains("Wake-on-LAN packet sent to " + MAC), hostStatus().toString());

            assertEquals(0, version().exitCode());
            assertEquals(1.0, PromText.value(harness.scrape(), "ffdispatch_host_wake_packets_total", "host=\"sleepy\""),
                "at most one packet per poll.wake_interval");

            worker.restart(); // it booted
            harness.awaitUp("sleepy");
            assertEquals(0, version().exitCode());
            List<JobRecord> jobs = harness.daemon().store().jobs(10, null, false);
            assertEquals("sleepy", jobs.get(0).host(), jobs.toString());
            assertEquals(HostRecord.LOCAL, jobs.get(jobs.size() - 1).host(), jobs.toString());
        }
    }

    private SocketJobs.Result version() throws Exception {
        // A run, not a capability probe (which would be answered from a profile, nothing placed).
        return harness.call(Tool.FFMPEG, DaemonHarness.bytes("-loglevel", "error", "-version"), home.toString().getBytes());
    }

    private JsonNode hostStatus() throws Exception {
        JsonNode status = new ObjectMapper().readTree(harness.status().toJson());
        return status.get("hosts").get(0);
    }
}
