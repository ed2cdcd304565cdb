package dev.ffdispatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ffdispatch.caps.ProbeAnswer;
import dev.ffdispatch.store.ProfileRecord;
import dev.ffdispatch.store.Store;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code route add|list|remove}, and the profile parts of {@code host show} and {@code host relearn}. */
class RouteCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;

    private CliRunner.Result run(String... args) {
        return new CliRunner(home).run(args);
    }

    @Test
    void rulesAreAddedListedAndRemoved() throws Exception {
        run("host", "add", "gpu1");
        CliRunner.Result add = run("route", "add", "-c:v h264_nvenc", "gpu1", "local");
        assertEquals(0, add.code(), add.toString());
        assertEquals("added routing rule 1: jobs matching '-c:v h264_nvenc' go only to gpu1, local\n", add.out());
        CliRunner.Result list = run("route", "list");
        assertTrue(list.out().lines().anyMatch(l -> l.matches("1\\s+-c:v h264_nvenc\\s+gpu1,local")), list.out());
        JsonNode json = JSON.readTree(run("route", "list", "--json").out());
        assertEquals("-c:v h264_nvenc", json.get(0).get("pattern").asText());
        assertEquals("[\"gpu1\",\"local\"]", json.get(0).get("hosts").toString());

        CliRunner.Result unknown = run("route", "add", "x", "gpu9");
        assertEquals(AdminExitCodes.of(dev.ffdispatch.store.StoreException.Kind.UNKNOWN), unknown.code(), unknown.toString());
        assertTrue(unknown.err().contains("known hosts: gpu1"), unknown.err());
        CliRunner.Result bad = run("route", "add", "-c:v (", "gpu1");
        assertEquals(AdminExitCodes.INVALID_INPUT, bad.code(), bad.toString());
        assertTrue(bad.err().contains("not a regular expression"), bad.err());
        CliRunner.Result inUse = run("host", "remove", "gpu1");
        assertTrue(inUse.err().contains("route remove 1"), inUse.toString());

        assertEquals(0, run("route", "remove", "1").code());
        assertEquals("no routing rules; every job goes to the best worker that has what it needs\n", run("route", "list").out());
        CliRunner.Result gone = run("route", "remove", "1");
        assertTrue(gone.err().contains("no routing rule has id 1"), gone.toString());
    }

    @Test
    void hostShowPrintsTheLearnedProfileAndRelearnForgetsIt() throws Exception {
        run("host", "add", "gpu1");
        assertTrue(run("host", "show", "gpu1").out().contains("profile:  not learned yet"));
        Map<String, ProbeAnswer> answers = new LinkedHashMap<>();
        answers.put("-version", answer("ffmpeg version 7.1-Jellyfin Copyright\n"));
        answers.put("-encoders", answer("Encoders:\n ------\n V....D h264_nvenc           NVENC (codec h264)\n"
            + " V....D h264_vaapi           VAAPI (codec h264)\n V....D libx264              x264 (codec h264)\n"));
        answers.put("-decoders", answer("Decoders:\n ------\n"));
        answers.put("-filters", answer("Filters:\n"));
        answers.put("-hwaccels", answer("Hardware acceleration methods:\ncuda\nvaapi\n\n"));
        try (Store store = Store.open(home.resolve("ffdispatch.db"))) {
            long id = store.requireHost("gpu1").id();
            store.saveProfile(new ProfileRecord(ProfileRecord.host(id), "ffmpeg", "/usr/lib/jellyfin-ffmpeg/ffmpeg", 1, Instant.EPOCH,
                Instant.parse("2026-02-01T00:00:00Z"), Set.of("cuda"), answers));
        }
        String show = run("host", "show", "gpu1").out();
        assertTrue(show.contains("profile:  /usr/lib/jellyfin-ffmpeg/ffmpeg version 7.1-Jellyfin, learned 2026-02-01T00:00:00Z"), show);
        assertTrue(show.contains("hwaccels: cuda (listed, not working here: vaapi)"), show);
        assertTrue(show.contains("hw enc:   h264_nvenc\n"), show);
        JsonNode json = JSON.readTree(run("host", "show", "gpu1", "--json").out());
        assertEquals("[\"h264_nvenc\"]", json.get("profile").get("hardware_encoders").toString());
        assertEquals("[\"vaapi\"]", json.get("profile").get("hwaccels_not_working").toString());
        CliRunner.Result down = run("status", "--json"); // no daemon runs: what the database knows
        assertEquals(AdminExitCodes.UNEXPECTED_STATE, down.code(), down.toString());
        JsonNode status = JSON.readTree(down.out());
        assertEquals("7.1-Jellyfin", status.get("hosts").get(0).get("profile").get("version").asText(), down.out());
        assertEquals("[\"cuda\"]", status.get("hosts").get(0).get("profile").get("hwaccels").toString());
        assertTrue(status.get("local").get("profile").isNull(), "this machine's profile was never learned here");

        CliRunner.Result relearn = run("host", "relearn", "gpu1");
        assertEquals(0, relearn.code(), relearn.toString());
        assertTrue(relearn.out().contains("forgot 1 profile(s)"), relearn.out());
        assertTrue(run("host", "show", "gpu1").out().contains("profile:  not learned yet"));
    }

    private static ProbeAnswer answer(String stdout) {
        return new ProbeAnswer(stdout.getBytes(StandardCharsets.UTF_8), new byte[0], 0);
    }
}
