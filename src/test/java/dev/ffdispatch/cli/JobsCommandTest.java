package dev.ffdispatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ffdispatch.store.JobState;
import dev.ffdispatch.store.Store;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobsCommandTest {
    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

    @TempDir
    Path home;

    @BeforeEach
    void history() {
        try (Store store = Store.open(home.resolve("ffdispatch.db"))) {
            long ok = store.jobStarted("ffmpeg", "w1", "-i a.mkv", T0, "r");
            store.jobFinished(ok, T0.plusSeconds(65), 0, JobState.OK, null);
            long failed = store.jobStarted("ffmpeg", "local", "-i b.mkv", T0.plusSeconds(100), "r");
            store.jobFinished(failed, T0.plusSeconds(101), 1, JobState.FAILED, "no worker can take it (w1=down (refused))");
            long probe = store.jobStarted("ffprobe", "w1", "-i c.mkv", T0.plusSeconds(200), "r");
            store.jobFinished(probe, T0.plusSeconds(200), 0, JobState.OK, null);
        }
    }

    @Test
    void textShowsEndExitDurationAndFallbackNewestFirst() {
        CliRunner.Result r = new CliRunner(home).run("jobs");
        assertEquals(AdminExitCodes.OK, r.code(), r.toString());
        String[] lines = r.out().split("\n");
        assertTrue(lines[0].startsWith("JOB  STARTED"), r.out());
        assertTrue(lines[1].startsWith("3 "), r.out());
        assertTrue(lines[3].contains("w1") && lines[3].contains("1m05s") && lines[3].contains(" 0 "), r.out());
        assertTrue(lines[2].contains("local") && lines[2].contains("failed") && lines[2].contains("no worker can take it"), r.out());
    }

    @Test
    void filtersByHostFailureAndLimit() throws Exception {
        ObjectMapper json = new ObjectMapper();
        JsonNode failed = json.readTree(new CliRunner(home).run("jobs", "--failed", "--json").out());
        assertEquals(1, failed.size());
        assertEquals(1, failed.get(0).get("exit_code").asInt());
        assertEquals(1000, failed.get(0).get("duration_ms").asLong());
        assertTrue(failed.get(0).get("fallback_reason").asText().startsWith("no worker"));
        JsonNode w1 = json.readTree(new CliRunner(home).run("jobs", "--host", "w1", "--json").out());
        assertEquals(2, w1.size());
        JsonNode one = json.readTree(new CliRunner(home).run("jobs", "--limit", "1", "--json").out());
        assertEquals(1, one.size());
        assertEquals("ffprobe", one.get(0).get("tool").asText());
        assertFalse(one.get(0).get("ended").isNull());
    }

    @Test
    void anUnknownHostIsInvalidInputAndNamesTheKnownOnes() {
        assertEquals(0, new CliRunner(home).run("host", "add", "w2").code());
        CliRunner.Result unknown = new CliRunner(home).run("jobs", "--host", "nowhere");
        assertEquals(AdminExitCodes.INVALID_INPUT, unknown.code(), unknown.toString());
        assertEquals("ffdispatch: host 'nowhere' is not known and has no jobs; known hosts: w2, or 'local' for this machine\n",
            unknown.err());
        assertEquals("", unknown.out());
    }

    @Test
    void aHostWithoutJobsAndARemovedHostWithJobsAreAccepted() {
        assertEquals(0, new CliRunner(home).run("host", "add", "w2").code());
        CliRunner.Result none = new CliRunner(home).run("jobs", "--host", "w2");
        assertEquals(AdminExitCodes.OK, none.code(), none.toString());
        assertTrue(none.out().contains("no jobs on host 'w2' yet"), none.out());
        // w1 is not a host (any more), but its history is kept under its name.
        CliRunner.Result removed = new CliRunner(home).run("jobs", "--host", "w1");
        assertEquals(AdminExitCodes.OK, removed.code(), removed.toString());
        assertTrue(removed.out().contains("ffprobe"), removed.out());
    }

    @Test
    void emptyHistoryAndBadLimit() {
        CliRunner.Result none = new CliRunner(home).run("jobs", "--host", "w1", "--failed");
        assertEquals(AdminExitCodes.OK, none.code(), none.toString());
        assertEquals("no jobs on host 'w1' failed yet\n", none.out());
        CliRunner.Result bad = new CliRunner(home).run("jobs", "--limit", "0");
        assertEquals(AdminExitCodes.INVALID_INPUT, bad.code());
        assertTrue(bad.err().contains("--limit 0 is out of range"), bad.err());
    }
}
