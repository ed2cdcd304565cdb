package dev.ffdispatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ffdispatch.store.NewHost;
import dev.ffdispatch.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Status without a daemon: says so, shows what the store knows, exits 3. */
class StatusCommandTest {
    @TempDir
    Path home;

    private void seed() {
        try (Store store = Store.open(home.resolve("ffdispatch.db"))) {
            store.addHost(NewHost.of("gpu1.lan"));
            store.hostEvent("gpu1.lan", "unknown", "down", "connect refused", Instant.parse("2025-01-02T03:04:05Z"));
            store.jobStarted("ffmpeg", "gpu1.lan", "-i file:/media/a.mkv -f hls x.m3u8", Instant.now(), "run-1");
        }
    }

    @Test
    void withoutADaemonItSaysSoShowsTheStoreAndExits3() {
        seed();
        CliRunner.Result r = new CliRunner(home).run("status");
        assertEquals(AdminExitCodes.UNEXPECTED_STATE, r.code(), r.toString());
        assertTrue(r.out().contains("daemon: NOT RUNNING: the daemon is not running: no socket at " + home.resolve("ffdispatch.sock")), r.out());
        assertTrue(r.out().contains("fix: start it"), r.out());
        assertTrue(r.out().contains("gpu1.lan"), r.out());
        assertTrue(r.out().contains("last seen down at 2025-01-02T03:04:05Z (connect refused)"), r.out());
        assertTrue(r.out().contains("-i file:/media/a.mkv"), "the job the store still holds as running: " + r.out());
    }

    @Test
    void jsonWithoutADaemonMarksItNotRunning() throws Exception {
        seed();
        CliRunner.Result r = new CliRunner(home).run("status", "--json");
        assertEquals(AdminExitCodes.UNEXPECTED_STATE, r.code(), r.toString());
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertFalse(root.get("daemon").get("running").asBoolean());
        assertEquals("gpu1.lan", root.get("hosts").get(0).get("name").asText());
        assertTrue(root.get("hosts").get(0).get("state").isNull());
        assertEquals("gpu1.lan", root.get("jobs").get(0).get("host").asText());
    }

    @Test
    void aStaleSocketFileReadsAsNotRunning() throws Exception {
        Files.createFile(home.resolve("ffdispatch.sock"));
        CliRunner.Result r = new CliRunner(home).run("status");
        assertEquals(AdminExitCodes.UNEXPECTED_STATE, r.code(), r.toString());
        assertTrue(r.out().contains("refuses connections"), r.out());
    }

    @Test
    void watchIsBoundedByCount() {
        CliRunner.Result r = new CliRunner(home).run("status", "--watch", "--count", "2", "--interval", "10ms");
        assertEquals(AdminExitCodes.UNEXPECTED_STATE, r.code(), r.toString());
        assertEquals(2, r.out().split("daemon: NOT RUNNING", -1).length - 1, r.out());
    }

    @Test
    void badWatchOptionsAreInvalidInput() {
        assertEquals(AdminExitCodes.INVALID_INPUT, new CliRunner(home).run("status", "--watch", "--count", "0").code());
        CliRunner.Result r = new CliRunner(home).run("status", "--watch", "--interval", "soon");
        assertEquals(AdminExitCodes.INVALID_INPUT, r.code());
        assertTrue(r.err().contains("--interval 'soon'"), r.err());
    }
}
