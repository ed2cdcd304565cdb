package dev.ffdispatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ffdispatch.store.HostRecord;
import dev.ffdispatch.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Import from an rffmpeg database and config built here, with rffmpeg's own DDL; twice: idempotent. */
class ImportRffmpegCommandTest {
    @TempDir
    Path dir;
    private Path home;
    private Path db;
    private Path yml;

    @BeforeEach
    void rffmpegInstall() throws Exception {
        home = Files.createDirectories(dir.resolve("home"));
        db = dir.resolve("rffmpeg.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
            st.executeUpdate("CREATE TABLE hosts (id INTEGER PRIMARY KEY, servername TEXT NOT NULL, hostname TEXT NOT NULL,"
                + " weight INTEGER DEFAULT 1, created datetime NOT NULL)");
            st.executeUpdate("INSERT INTO hosts (servername, hostname, weight, created) VALUES"
                + " ('gpu1', '10.0.0.5', 4, '2024-01-01 10:00:00'),"
                + " ('gpu2', 'gpu2.lan', 1, '2024-01-02 10:00:00'),"
                + " ('localhost', 'localhost', 1, '2024-01-03 10:00:00')");
        }
        yml = dir.resolve("rffmpeg.yml");
        Files.writeString(yml, """
            rffmpeg:
                logging:
                    log_to_file: true
                    logfile: "/var/log/jellyfin/rffmpeg.log"
                remote:
                    user: jelly
                    persist: 300
                    args:
                        - "-i"
                        - "/var/lib/jellyfin/.ssh/id_rsa"
                        - "-p"
                        - "2222"
                        - "-o"
                        - "Compression=yes"
                commands:
                    ssh: "/usr/bin/ssh"
                    ffmpeg: "/usr/lib/jellyfin-ffmpeg/ffmpeg"
                    ffprobe: "/usr/lib/jellyfin-ffmpeg/ffprobe"
                    fallback_ffmpeg: "/usr/bin/ffmpeg"
            """);
    }

    private CliRunner.Result runImport(String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("import-rffmpeg", "--rffmpeg-config", yml.toString(),
            "--db", db.toString()));
        args.addAll(List.of(extra));
        return new CliRunner(home).run(args.toArray(String[]::new));
    }

    private List<HostRecord> hosts() {
        try (Store store = Store.open(home.resolve("ffdispatch.db"))) {
            return store.hosts();
        }
    }

    @Test
    void importsHostsWeightsUserPortAndPathsAndReportsTheRest() {
        CliRunner.Result r = runImport();
        assertEquals(AdminExitCodes.OK, r.code(), r.toString());
        List<HostRecord> hosts = hosts();
        assertEquals(2, hosts.size(), "localhost runs locally in rffmpeg: not a worker");
        HostRecord gpu1 = hosts.get(0);
        assertEquals("gpu1", gpu1.name());
        assertEquals("10.0.0.5", gpu1.address());
        assertEquals(4, gpu1.weight());
        assertEquals("jelly", gpu1.user());
        assertEquals(2222, gpu1.port());
        assertEquals("/usr/lib/jellyfin-ffmpeg/ffmpeg", gpu1.ffmpeg());
        assertNull(gpu1.ffprobe(), "ffprobe beside ffmpeg is ffdispatch's default");
        assertTrue(r.out().contains("added     gpu1 (jelly@10.0.0.5:2222, weight 4"), r.out());
        assertTrue(r.out().contains("skipped   localhost"), r.out());
        assertTrue(r.out().contains("remote.args -o Compression=yes"), r.out());
        assertTrue(r.out().contains("remote.persist (300)"), r.out());
        assertTrue(r.out().contains("commands.ssh (/usr/bin/ssh)"), r.out());
        assertTrue(r.out().contains("logging.logfile"), r.out());
        assertTrue(r.out().contains("  identities: [/var/lib/jellyfin/.ssh/id_rsa]"), r.out());
        assertTrue(r.out().contains("  ffmpeg: /usr/bin/ffmpeg"), r.out());
        assertTrue(r.out().contains("ffdispatch host trust gpu2"), r.out());
    }

    @Test
    void runningTwiceChangesNothingTheSecondTime() {
        assertEquals(AdminExitCodes.OK, runImport().code());
        List<HostRecord> first = hosts();
        long counter;
        try (Store store = Store.open(home.resolve("ffdispatch.db"))) {
            counter = store.changeCounter();
        }
        CliRunner.Result again = runImport();
        assertEquals(AdminExitCodes.OK, again.code(), again.toString());
        assertTrue(again.out().contains("unchanged gpu1") && again.out().contains("unchanged gpu2"), again.out());
        assertFalse(again.out().contains("added"), again.out());
        assertEquals(first, hosts());
        try (Store store = Store.open(home.resolve("ffdispatch.db"))) {
            assertEquals(counter, store.changeCounter(), "no write at all the second time");
        }
    }

    @Test
    void aChangedRffmpegHostIsUpdatedOnlyWhereItDiffers() throws Exception {
        assertEquals(AdminExitCodes.OK, runImport().code());
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE hosts SET weight = 8 WHERE servername = 'gpu1'");
        }
        CliRunner.Result r = runImport("--dry-run");
        assertTrue(r.out().contains("updated   gpu1: weight 4 -> 8"), r.out());
        assertEquals(4, hosts().get(0).weight(), "dry run writes nothing");
        r = runImport();
        assertTrue(r.out().contains("updated   gpu1: weight 4 -> 8") && r.out().contains("unchanged gpu2"), r.out());
        assertEquals(8, hosts().get(0).weight());
    }

    @Test
    void rffmpegDefaultsApplyWithoutAConfigAndMissingFilesAreNamed() {
        CliRunner.Result noDb = new CliRunner(home).run("import-rffmpeg", "--rffmpeg-config", yml.toString(),
            "--db", dir.resolve("nope.db").toString());
        assertEquals(AdminExitCodes.INVALID_INPUT, noDb.code());
        assertTrue(noDb.err().contains("rffmpeg database " + dir.resolve("nope.db") + " does not exist"), noDb.err());
        CliRunner.Result noYml = new CliRunner(home).run("import-rffmpeg", "--rffmpeg-config", dir.resolve("x.yml").toString());
        assertEquals(AdminExitCodes.INVALID_INPUT, noYml.code());
        CliRunner.Result defaults = new CliRunner(home).env("RFFMPEG_CONFIG", dir.resolve("absent.yml").toString())
            .run("import-rffmpeg", "--db", db.toString());
        assertEquals(AdminExitCodes.INVALID_INPUT, defaults.code(), "RFFMPEG_CONFIG names a file: it must exist");
        CliRunner.Result builtIn = runWithDefaultConfigLocation();
        assertEquals(AdminExitCodes.OK, builtIn.code(), builtIn.toString());
        HostRecord gpu1 = hosts().get(0);
        assertEquals("jellyfin", gpu1.user(), "rffmpeg's default remote.user");
        assertEquals(22, gpu1.port());
        assertTrue(builtIn.out().contains("identities: [/var/lib/jellyfin/.ssh/id_rsa]"), builtIn.out());
    }

    private CliRunner.Result runWithDefaultConfigLocation() {
        // /etc/rffmpeg/rffmpeg.yml does not exist on the test machine: rffmpeg's defaults apply.
        return new CliRunner(home).run("import-rffmpeg", "--db", db.toString());
    }

    @Test
    void aRowWithoutHostnameIsSkippedWithAReasonAndImportingNothingIsNotSuccess() throws Exception {
        Path hand = dir.resolve("hand-edited.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + hand); Statement st = c.createStatement()) {
            st.executeUpdate("CREATE TABLE hosts (id INTEGER PRIMARY KEY, servername TEXT, hostname TEXT, weight INTEGER)");
            st.executeUpdate("INSERT INTO hosts (servername, hostname, weight) VALUES ('broken', NULL, 2), (NULL, NULL, 1),"
                + " ('localhost', 'localhost', 1), ('local', '10.0.0.9', 1)");
        }
        CliRunner.Result r = new CliRunner(home).run("import-rffmpeg", "--rffmpeg-config", yml.toString(), "--db", hand.toString());
        assertEquals(AdminExitCodes.INVALID_INPUT, r.code(), r.toString());
        assertTrue(r.out().contains("skipped   broken: no hostname") && r.out().contains("skipped   row 2: no hostname"), r.toString());
        assertTrue(r.out().contains("skipped   local: host name 'local' is reserved for this machine"), r.toString());
        assertTrue(r.err().contains("no host was imported"), r.toString());
        assertTrue(hosts().isEmpty());

        // One good row among bad ones: imported, and success.
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + hand); Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO hosts (servername, hostname, weight) VALUES ('gpu3', '10.0.0.7', 1)");
        }
        CliRunner.Result ok = new CliRunner(home).run("import-rffmpeg", "--rffmpeg-config", yml.toString(), "--db", hand.toString());
        assertEquals(AdminExitCodes.OK, ok.code(), ok.toString());
        assertEquals(1, hosts().size());
    }
}
