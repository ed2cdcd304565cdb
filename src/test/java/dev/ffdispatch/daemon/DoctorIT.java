package dev.ffdispatch.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ffdispatch.cli.Main;
import dev.ffdispatch.store.HostChanges;
import dev.ffdispatch.store.PathMap;
import dev.ffdispatch.store.Store;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code ffdispatch doctor} against a healthy loopback worker, then against each broken condition. */
class DoctorIT extends DaemonItBase {
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Run(int code, String out, JsonNode json) {
        /** The status of the first check whose name ends with {@code suffix}. */
        String status(String suffix) {
            for (JsonNode c : json.get("checks")) {
                if (c.get("check").asText().endsWith(suffix)) {
                    return c.get("status").asText();
                }
            }
            return "absent";
        }

        String fix(String suffix) {
            for (JsonNode c : json.get("checks")) {
                if (c.get("check").asText().endsWith(suffix)) {
                    return c.get("fix").asText();
                }
            }
            return "";
        }
    }

    /** A Jellyfin running on this machine with its own ffmpeg fails doctor whatever the test set up. */
    private static boolean jellyfinFails(Run run) {
        for (JsonNode c : run.json().get("checks")) {
            if (c.get("check").asText().startsWith("jellyfin") && c.get("status").asText().equals("fail")) {
                return true;
            }
        }
        return false;
    }

    private Run doctor(String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("doctor", "--json"));
        args.addAll(List.of(extra));
        StringWriter out = new StringWriter();
        int code = Main.run(args.toArray(String[]::new), new PrintWriter(out), new PrintWriter(new StringWriter()),
            Map.of("FFDISPATCH_HOME", home.toString(), "PATH", "/usr/bin:/bin", "TMPDIR", home.resolve("tmp").toString()));
        return new Run(code, out.toString(), JSON.readTree(out.toString()));
    }

    private Path shared() throws Exception {
        return Files.createDirectories(home.resolve("transcodes"));
    }

    @Test
    void aHealthySetupPassesAndTheTextFormIsOneLinePerCheck() throws Exception {
        harness = new DaemonHarness(home, Map.of());
        harness.addWorker("w1", 1, DaemonHarness.FFMPEG);
        harness.start();
        Path transcodes = shared();
        Run run = doctor("--transcodes", transcodes.toString());
        assertEquals(jellyfinFails(run) ? 1 : 0, run.code(), run.out());
        for (String check : List.of("config", "daemon", "socket permissions", "database", "local ffmpeg", "w1: host key",
            "w1: login", "w1: ffmpeg", "w1: ffprobe", "w1: dir " + transcodes)) {
            assertEquals("ok", run.status(check), check + ": " + run.out());
        }
        assertTrue(List.of("ok", "warn").contains(run.status("w1: shell start-up")), run.out());
        assertTrue(List.of("ok", "warn").contains(run.status("filesystem " + transcodes)), run.out());

        StringWriter text = new StringWriter();
        int code = Main.run(new String[] {"doctor", "--transcodes", transcodes.toString()}, new PrintWriter(text),
            new PrintWriter(new StringWriter()), Map.of("FFDISPATCH_HOME", home.toString()));
        assertEquals(jellyfinFails(run) ? 1 : 0, code, text.toString());
        assertTrue(text.toString().contains("[ok]   host w1: ffmpeg: /usr/bin/ffmpeg "), text.toString());
        assertTrue(text.toString().lines().allMatch(l -> l.matches("\\[(ok|warn|FAIL)\\]? .*|       fix: .*")), text.toString());
    }

    @Test
    void theDaemonDownIsAFailWithAFix() throws Exception {
        harness = new DaemonHarness(home, Map.of());
        harness.addWorker("w1", 1, DaemonHarness.FFMPEG);
        Run run = doctor("--transcodes", shared().toString());
        assertEquals(1, run.code(), run.out());
        assertEquals("fail", run.status("daemon"), run.out());
        assertTrue(run.fix("daemon").contains("systemctl start ffdispatch"), run.out());
        assertEquals("ok", run.status("w1: ffmpeg"), "hosts are checked without the daemon too");
    }

    @Test
    void anUnpinnedKeyFailsAndSaysToTrustTheHost() throws Exception {
        harness = new DaemonHarness(home, Map.of());
        harness.start();
        harness.addUnpinnedWorker("loose");
        Run run = doctor("--transcodes", shared().toString());
        assertEquals(1, run.code(), run.out());
        assertEquals("fail", run.status("loose: host key"), run.out());
        assertEquals("ffdispatch host trust loose", run.fix("loose: host key"));
        assertEquals("absent", run.status("loose: login"), "nothing more is tried without a key");
    }

    @Test
    void aMissingFfmpegPathOnTheHostFails() throws Exception {
        harness = new DaemonHarness(home, Map.of());
        harness.addWorker("w1", 1, "/nonexistent/bin/ffmpeg");
        harness.start();
        Run run = doctor("--transcodes", shared().toString());
        assertEquals(1, run.code(), run.out());
        assertEquals("fail", run.status("w1: ffmpeg"), run.out());
        assertTrue(run.fix("w1: ffmpeg").contains("ffdispatch host set w1 --ffmpeg <path>"), run.out());
        assertEquals("fail", run.status("w1: ffprobe"), "/nonexistent/bin/ffprobe beside it: " + run.out());
    }

    @Test
    void missingAndUnwritableDirectoriesFailAfterPathMapping() throws Exception {
        harness = new DaemonHarness(home, Map.of());
        harness.addWorker("w1", 1, DaemonHarness.FFMPEG);
        harness.start();
        Path media = Files.createDirectories(home.resolve("media"));
        Path gone = Files.createDirectories(home.resolve("gone"));
        try (Store store = Store.open(harness.config.state())) {
            // /proc/1 exists and refuses new files even to root: an unwritable directory on any Linux.
            store.updateHost("w1", new HostChanges(null, null, null, null, null, null, null,
                List.of(new PathMap(media.toString(), "/proc/1"), new PathMap(gone.toString(), "/nonexistent/mount")), null));
        }
        Run run = doctor("--transcodes", shared().toString(), "--path", media.toString(), "--path", gone.toString());
        assertEquals(1, run.code(), run.out());
        assertEquals("ok", run.status("w1: dir " + home.resolve("transcodes")), run.out());
        assertEquals("fail", run.status("w1: dir " + media + " -> /proc/1"), run.out());
        assertTrue(run.fix("-> /proc/1").contains("write access"), run.out());
        assertEquals("fail", run.status("w1: dir " + gone + " -> /nonexistent/mount"), run.out());
        assertTrue(run.fix("-> /nonexistent/mount").contains("mount the shared directory"), run.out());
    }

    @Test
    void anInvalidConfigIsAFailNamingTheKey() throws Exception {
        Files.writeString(home.resolve("ffdispatch.yml"), "poll:\n  intervall: 3s\n");
        Run run = doctor();
        assertEquals(1, run.code(), run.out());
        assertEquals("fail", run.status("config"), run.out());
        assertTrue(run.out().contains("intervall"), run.out());
    }

    @Test
    void aPrivateKeyOthersCanReadFailsWithTheChmodThatFixesIt() throws Exception {
        harness = new DaemonHarness(home, Map.of());
        harness.addWorker("w1", 1, DaemonHarness.FFMPEG);
        Path key = harness.config.ssh().identities().get(0);
        Files.setPosixFilePermissions(key, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-rw-"));
        Run run = doctor("--transcodes", shared().toString());
        assertEquals(1, run.code(), run.out());
        assertEquals("fail", run.status("ssh identity"), run.out());
        assertTrue(run.fix("ssh identity").contains("chmod 600 " + key), run.out());
    }
}
