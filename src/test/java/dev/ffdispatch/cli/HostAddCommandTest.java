package dev.ffdispatch.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HostAddCommandTest {
    @TempDir
    Path home;

    private CliRunner.Result run(String... args) {
        return new CliRunner(home).run(args);
    }

    @Test
    void addsWithDefaults() {
        CliRunner.Result r = run("host", "add", "worker1.lan");
        assertEquals(0, r.code(), r.toString());
        assertEquals("added host 'worker1.lan' (ffdispatch@worker1.lan:22, weight 1, enabled)\n", r.out());
        assertEquals("", r.err());
    }

    @Test
    void anIpv6AddressIsShownInBracketsBeforeThePort() {
        CliRunner.Result r = run("host", "add", "2001:db8::21", "--name", "v6", "--port", "2222");
        assertEquals(0, r.code(), r.toString());
        assertEquals("added host 'v6' (ffdispatch@[2001:db8::21]:2222, weight 1, enabled)\n", r.out());
    }

    @Test
    void ffprobeDefaultsToTheOneBesideAnFfmpegPath() throws Exception {
        assertEquals(0, run("host", "add", "w1", "--ffmpeg", "/usr/lib/jellyfin-ffmpeg/ffmpeg").code());
        assertTrue(run("host", "show", "w1").out().contains("ffprobe:  /usr/lib/jellyfin-ffmpeg/ffprobe (beside ffmpeg)"));
        String json = run("host", "show", "w1", "--json").out();
        assertEquals("/usr/lib/jellyfin-ffmpeg/ffprobe",
            new com.fasterxml.jackson.databind.ObjectMapper().readTree(json).get("ffprobe").asText(), json);
        assertEquals(0, run("host", "add", "w2").code());
        assertTrue(run("host", "show", "w2").out().contains("ffprobe:  ffprobe (on the worker's PATH)"));
    }

    @Test
    void addsWithEveryOption() {
        CliRunner.Result r = run("host", "add", "10.0.0.5", "--name", "gpu", "--weight", "4", "--user", "ff",
                "--port", "2222", "--max-jobs", "3", "--ffmpeg", "/usr/lib/jellyfin-ffmpeg/ffmpeg",
                "--ffprobe", "/usr/lib/jellyfin-ffmpeg/ffprobe", "--map", "/media=/mnt/media", "--map", "/cache=/mnt/cache");
        assertEquals(0, r.code(), r.toString());
        CliRunner.Result show = run("host", "show", "gpu");
        assertTrue(show.out().contains("mappings: /media=/mnt/media,/cache=/mnt/cache"), show.out());
        assertTrue(show.out().contains("max_jobs: 3"), show.out());
        assertTrue(show.out().contains("ffprobe:  /usr/lib/jellyfin-ffmpeg/ffprobe"), show.out());
    }

    @Test
    void theNameLocalIsReservedForThisMachine() {
        for (String[] args : new String[][] {{"host", "add", "local"}, {"host", "add", "10.0.0.5", "--name", "Local"}}) {
            CliRunner.Result r = run(args);
            assertEquals(AdminExitCodes.INVALID_INPUT, r.code(), r.toString());
            assertTrue(r.err().contains("is reserved for this machine") && r.err().contains("--name <name>"), r.err());
        }
        assertEquals(0, run("host", "add", "local", "--name", "local-worker").code(), "the address may be 'local'");
    }

    @Test
    void badWeightsAreInvalidInput() {
        for (String weight : new String[] {"0", "-1", "abc", "1001", "99999999999", "2.5"}) {
            CliRunner.Result r = run("host", "add", "w", "--weight", weight);
            assertEquals(AdminExitCodes.INVALID_INPUT, r.code(), weight + ": " + r);
            assertTrue(r.err().contains(weight), r.toString());
        }
        assertEquals("no hosts yet; add one with: ffdispatch host add <address>\n", run("host", "list").out(),
                "nothing was written");
    }

    @Test
    void duplicateNameIsInvalidInput() {
        assertEquals(0, run("host", "add", "w1").code());
        CliRunner.Result r = run("host", "add", "10.0.0.9", "--name", "w1");
        assertEquals(AdminExitCodes.INVALID_INPUT, r.code());
        assertTrue(r.err().startsWith("ffdispatch: host 'w1' already exists"), r.toString());
    }

    @Test
    void malformedAddressPortAndMappingAreInvalidInput() {
        String[][] cases = {
                {"host", "add", "bad host"},
                {"host", "add", "w:22"},
                {"host", "add", "w", "--port", "0"},
                {"host", "add", "w", "--port", "70000"},
                {"host", "add", "w", "--map", "media=/mnt/media"},
                {"host", "add", "w", "--map", "/media"},
                {"host", "add", "w", "--max-jobs", "lots"},
                {"host", "add", "w", "--user", "a b"},
        };
        for (String[] c : cases) {
            CliRunner.Result r = run(c);
            assertEquals(AdminExitCodes.INVALID_INPUT, r.code(), String.join(" ", c) + ": " + r);
            assertTrue(r.err().startsWith("ffdispatch: "), r.toString());
            assertEquals("", r.out());
        }
    }

    @Test
    void missingAddressIsInvalidInput() {
        CliRunner.Result r = run("host", "add");
        assertEquals(AdminExitCodes.INVALID_INPUT, r.code());
        assertTrue(r.err().contains("<address>"), r.toString());
    }

    @Test
    void aMappingTheDaemonCannotUseIsRefusedByTheCliWithTheSameRule() {
        for (String map : new String[] {"/=/mnt", "/media=/", "//=/mnt"}) {
            CliRunner.Result r = run("host", "add", "w", "--map", map);
            assertEquals(AdminExitCodes.INVALID_INPUT, r.code(), map + ": " + r);
            assertTrue(r.err().contains("root directory") && r.err().contains("/media=/mnt/media"), r.toString());
        }
        assertEquals("no hosts yet; add one with: ffdispatch host add <address>\n", run("host", "list").out(),
                "nothing was written");
    }
}
