package dev.ffdispatch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ffdispatch.TestTimeouts;
import dev.ffdispatch.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HostCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;

    private CliRunner.Result run(String... args) {
        return new CliRunner(home).run(args);
    }

    @Test
    void listAsTextAndJson() throws Exception {
        run("host", "add", "10.0.0.5", "--name", "gpu", "--weight", "4", "--map", "/media=/mnt/media");
        run("host", "add", "w2", "--user", "ff", "--port", "2200");
        CliRunner.Result text = run("host", "list");
        assertEquals(0, text.code());
        List<String> lines = text.out().lines().toList();
        assertEquals(3, lines.size(), text.out());
        assertTrue(lines.get(0).startsWith("NAME"), text.out());
        assertTrue(lines.get(1).matches("gpu\\s+10\\.0\\.0\\.5\\s+22\\s+ffdispatch\\s+4\\s+-\\s+enabled\\s+/media=/mnt/media"),
                lines.get(1));

        CliRunner.Result json = run("host", "list", "--json");
        JsonNode array = JSON.readTree(json.out());
        assertEquals(2, array.size());
        JsonNode gpu = array.get(0);
        assertEquals("gpu", gpu.get("name").asText());
        assertEquals("10.0.0.5", gpu.get("address").asText());
        assertEquals(22, gpu.get("port").asInt());
        assertEquals("ffdispatch", gpu.get("user").asText());
        assertEquals(4, gpu.get("weight").asInt());
        assertTrue(gpu.get("enabled").asBoolean());
        assertTrue(gpu.get("max_jobs").isNull());
        assertEquals("/mnt/media", gpu.get("mappings").get(0).get("remote").asText());
        assertEquals("ff", array.get(1).get("user").asText());
        assertEquals(2200, array.get(1).get("port").asInt());
    }

    @Test
    void emptyListAsJsonIsAnEmptyArray() throws Exception {
        assertEquals(0, JSON.readTree(run("host", "list", "--json").out()).size());
    }

    @Test
    void showAsJsonAndUnknownHost() throws Exception {
        run("host", "add", "w1");
        JsonNode w1 = JSON.readTree(run("host", "show", "w1", "--json").out());
        assertEquals("w1", w1.get("name").asText());
        CliRunner.Result r = run("host", "show", "w2");
        assertEquals(AdminExitCodes.INVALID_INPUT, r.code());
        assertEquals("ffdispatch: host 'w2' is not known; known hosts: w1\n", r.err());
    }

    @Test
    void showsTheFfprobeTheDaemonRunsBesideTheConfiguredFfmpeg() throws Exception {
        run("host", "add", "w1", "--ffmpeg", "/usr/lib/jellyfin-ffmpeg/ffmpeg");
        run("host", "add", "w2");
        JsonNode w1 = JSON.readTree(run("host", "show", "w1", "--json").out());
        assertEquals("/usr/lib/jellyfin-ffmpeg/ffmpeg", w1.get("ffmpeg").asText());
        assertEquals("/usr/lib/jellyfin-ffmpeg/ffprobe", w1.get("ffprobe").asText());
        assertTrue(run("host", "show", "w1").out().contains("ffprobe:  /usr/lib/jellyfin-ffmpeg/ffprobe (beside ffmpeg)\n"));
        JsonNode w2 = JSON.readTree(run("host", "show", "w2", "--json").out());
        assertEquals("ffmpeg", w2.get("ffmpeg").asText());
        assertEquals("ffprobe", w2.get("ffprobe").asText());
        assertTrue(run("host", "show", "w2").out().contains("ffprobe:  ffprobe (on the worker's PATH)\n"));
    }

    @Test
    void drainAndEnable() throws Exception {
        run("host", "add", "w1");
        assertEquals(0, run("host", "drain", "w1").code());
        JsonNode drained = JSON.readTree(run("host", "show", "w1", "--json").out());
        assertFalse(drained.get("enabled").asBoolean());
        assertTrue(drained.get("drained").asBoolean());
        assertEquals(0, run("host", "enable", "w1").code());
        assertTrue(JSON.readTree(run("host", "show", "w1", "--json").out()).get("enabled").asBoolean());
        assertEquals(AdminExitCodes.INVALID_INPUT, run("host", "drain", "nope").code());
    }

    @Test
    void removeRefusesRunningJobsUnlessForced() {
        run("host", "add", "w1");
        try (Store store = Store.open(home.resolve("ffdispatch.db"))) {
            store.jobStarted("ffmpeg", "w1", "ffmpeg -i x", Instant.now(), "run1");
        }
        CliRunner.Result refused = run("host", "remove", "w1");
        assertEquals(AdminExitCodes.UNEXPECTED_STATE, refused.code(), refused.toString());
        assertTrue(refused.err().contains("has 1 running job(s)"), refused.toString());
        assertTrue(run("host", "show", "w1").out().contains("name:     w1"));
        CliRunner.Result forced = run("host", "remove", "w1", "--force");
        assertEquals(0, forced.code(), forced.toString());
        assertEquals(AdminExitCodes.INVALID_INPUT, run("host", "show", "w1").code());
        assertEquals(AdminExitCodes.INVALID_INPUT, run("host", "remove", "w1").code());
    }

    /** Twenty CLI runs at once (each its own connection, like processes) beside a reader: nothing lost or refused. */
    @Test
    void twentyConcurrentWritersBesideAReader() throws Exception {
        assertEquals(0, run("host", "add", "shared").code());
        int writers = 20;
        ExecutorService pool = Executors.newFixedThreadPool(writers + 1);
        CountDownLatch start = new CountDownLatch(1);
        AtomicBoolean writing = new AtomicBoolean(true);
        try {
            Future<Integer> reader = pool.submit(() -> {
                start.await();
                int reads = 0;
                while (writing.get()) {
                    CliRunner.Result r = run("host", "list", "--json");
                    if (r.code() != 0) {
                        throw new AssertionError("reader failed: " + r);
                    }
                    JSON.readTree(r.out());
                    reads++;
                }
                return reads;
            });
            List<Future<List<CliRunner.Result>>> results = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                int n = i;
                results.add(pool.submit(() -> {
                    start.await();
                    return List.of(run("host", "add", "w" + n, "--weight", String.valueOf(n + 1)),
                            run("host", "set", "shared", "--weight", String.valueOf(n + 1)),
                            run("host", "set", "w" + n, "--max-jobs", "3"));
                }));
            }
            start.countDown();
            for (Future<List<CliRunner.Result>> f : results) {
                for (CliRunner.Result r : f.get(TestTimeouts.LONG.toMillis(), TimeUnit.MILLISECONDS)) {
                    assertEquals(0, r.code(), r.toString());
                }
            }
            writing.set(false);
            assertTrue(reader.get(TestTimeouts.MEDIUM.toMillis(), TimeUnit.MILLISECONDS) > 0);
        } finally {
            writing.set(false);
            pool.shutdownNow();
        }
        JsonNode all = JSON.readTree(run("host", "list", "--json").out());
        assertEquals(writers + 1, all.size());
        for (JsonNode h : all) {
            if (!h.get("name").asText().equals("shared")) {
                int n = Integer.parseInt(h.get("name").asText().substring(1));
                assertEquals(n + 1, h.get("weight").asInt());
                assertEquals(3, h.get("max_jobs").asInt());
            }
        }
        try (Store store = Store.open(home.resolve("ffdispatch.db"))) {
            assertEquals(1 + writers * 3, store.changeCounter(), "every write counted once");
        }
    }
}
