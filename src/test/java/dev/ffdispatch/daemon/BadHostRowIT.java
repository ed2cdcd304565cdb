package dev.ffdispatch.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ffdispatch.TestTimeouts;
import dev.ffdispatch.protocol.Tool;
import dev.ffdispatch.store.HostChanges;
import dev.ffdispatch.store.HostRecord;
import dev.ffdispatch.store.NewHost;
import dev.ffdispatch.store.PathMap;
import dev.ffdispatch.store.Store;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A host row the daemon cannot use (here: a root path mapping, which an older CLI accepted)
 * affects that host only: the daemon starts, the other hosts work and follow later changes, and
 * status shows the bad host with the reason. Nothing is rewritten in the row.
 */
class BadHostRowIT extends DaemonItBase {
    private static final String ROOT_MAPPING = "[{\"local\":\"/\",\"remote\":\"/mnt\"}]";

    @Test
    void theDaemonStartsAndServesTheGoodHostAndShowsTheBadOneWithTheReason() throws Exception {
        harness = new DaemonHarness(home, Map.of("FFDISPATCH_LOCAL_FALLBACK", "false"));
        harness.addWorker("good", 1, DaemonHarness.FFMPEG);
        try (Store store = Store.open(harness.config.state())) {
            store.addHost(new NewHost("bad", "127.0.0.1", 22, null, 1, null, null, null, List.of(), null));
        }
        writeRaw("UPDATE hosts SET mappings = '" + ROOT_MAPPING + "' WHERE name = 'bad'");

        harness.start();
        harness.awaitUp("good");
        SocketJobs.Result r = harness.call(Tool.FFMPEG, DaemonHarness.bytes("-version"), "/".getBytes(StandardCharsets.UTF_8));
        assertEquals(0, r.exitCode(), r.stderrText());
        JsonNode bad = statusOf("bad");
        assertEquals("invalid", bad.path("state").asText(), bad.toString());
        assertTrue(bad.path("reason").asText().contains("root directory")
            && bad.path("reason").asText().contains("ffdispatch host set bad --map"), bad.toString());

        // A later change of another host still reaches the running daemon.
        try (Store store = Store.open(harness.config.state())) {
            store.updateHost("good", HostChanges.weight(7));
            HostRecord row = store.requireHost("bad");
            assertTrue(row.problem() != null && row.mappings().isEmpty(), row.toString());
        }
        awaitWeight("good", 7);
        assertEquals(ROOT_MAPPING, readRawMappings("bad"), "the bad row is kept as it was, for the admin to fix");
    }

    @Test
    void aBadRowAddedWhileRunningDoesNotStopLaterChangesFromBeingSeen() throws Exception {
        harness = new DaemonHarness(home, Map.of());
        harness.addWorker("good", 1, DaemonHarness.FFMPEG);
        harness.start();
        harness.awaitUp("good");
        try (Store store = Store.open(harness.config.state())) {
            store.addHost(new NewHost("bad", "127.0.0.1", 22, null, 1, null, null, null, List.of(), null));
        }
        writeRaw("UPDATE hosts SET mappings = '" + ROOT_MAPPING + "' WHERE name = 'bad'");
        writeRaw("UPDATE meta SET value = value + 1 WHERE key = 'hosts_version'");
        try (Store store = Store.open(harness.config.state())) {
            store.updateHost("good", HostChanges.weight(5));
        }
        awaitWeight("good", 5);
        // Fixing the row brings the host in.
        try (Store store = Store.open(harness.config.state())) {
            store.updateHost("bad", new HostChanges(null, null, null, null, null, null, null,
                List.of(PathMap.parse("/media=/mnt/media")), null));
        }
        long deadline = System.nanoTime() + TestTimeouts.SHORT.toNanos();
        while (!"not probed yet".equals(statusOf("bad").path("reason").asText())
            && !List.of("up", "down").contains(statusOf("bad").path("state").asText()) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(!"invalid".equals(statusOf("bad").path("state").asText()), statusOf("bad").toString());
    }

    private JsonNode statusOf(String name) throws Exception {
        JsonNode status = new ObjectMapper().readTree(harness.status().toJson());
        for (JsonNode host : status.path("hosts")) {
            if (host.path("name").asText().equals(name)) {
                return host;
            }
        }
        return new ObjectMapper().createObjectNode().put("missing", name).put("status", status.toString());
    }

    private void awaitWeight(String name, int weight) throws InterruptedException {
        long deadline = System.nanoTime() + TestTimeouts.SHORT.toNanos();
        while (System.nanoTime() < deadline) {
            if (harness.host(name).map(h -> h.weight() == weight).orElse(false)) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the daemon did not see " + name + " weight " + weight + ": " + harness.status().hosts());
    }

    private void writeRaw(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + harness.config.state().database());
             Statement st = c.createStatement()) {
            st.execute("PRAGMA busy_timeout = 10000");
            st.executeUpdate(sql);
        }
    }

    private String readRawMappings(String name) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + harness.config.state().database());
             Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery("SELECT mappings FROM hosts WHERE name = '" + name + "'")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
