package dev.ffdispatch.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A SQLite database made by ffdispatch 0.1 upgrades in place: every row stays, the new tables arrive. */
class SchemaUpgradeTest {
    @TempDir
    Path dir;

    @Test
    void aDatabaseOfVersionZeroPointOneUpgradesInPlaceWithItsRows() throws Exception {
        Path db = dir.resolve("ffdispatch.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
            for (String sql : Engine.statements(resource("schema-0.1.sql"))) {
                st.execute(sql);
            }
            st.execute("PRAGMA user_version = 1");
            st.execute("INSERT INTO hosts (name, address, port, user, weight, max_jobs, ffmpeg, ffprobe, mappings, drained,"
                + " created) VALUES ('gpu1', '10.0.0.5', 2222, 'ff', 4, 3, '/opt/ffmpeg', NULL,"
                + " '[{\"local\":\"/media\",\"remote\":\"/mnt/media\"}]', 1, 1767261600000)");
            st.execute("UPDATE meta SET value = 7 WHERE key = 'hosts_version'");
            st.execute("INSERT INTO jobs (tool, host, command, pid, started, ended, exit_code, state, run_id)"
                + " VALUES ('ffmpeg', 'gpu1', 'ffmpeg -i a.mkv', 4242, 1767261600000, 1767261610000, 0, 'ok', 'run-01')");
            st.execute("INSERT INTO jobs (tool, host, command, started, state, run_id)"
                + " VALUES ('ffmpeg', 'gpu1', 'ffmpeg -i b.mkv', 1767261600000, 'running', 'run-01')");
            st.execute("INSERT INTO host_events (host, from_state, to_state, reason, at) VALUES ('gpu1', NULL, 'up', 'first', 1)");
        }
        try (Store store = Store.open(db)) {
            HostRecord gpu = store.requireHost("gpu1");
            assertEquals(List.of("10.0.0.5", "2222", "ff", "4", "3", "/opt/ffmpeg", "true", "/media -> /mnt/media"),
                List.of(gpu.address(), String.valueOf(gpu.port()), gpu.user(), String.valueOf(gpu.weight()),
                    String.valueOf(gpu.maxJobs()), gpu.ffmpeg(), String.valueOf(gpu.drained()),
                    gpu.mappings().get(0).local() + " -> " + gpu.mappings().get(0).remote()));
            assertEquals(7, store.changeCounter());
            List<JobRecord> jobs = store.jobs(10, null, false);
            assertEquals(List.of("ffmpeg -i b.mkv", "ffmpeg -i a.mkv"), jobs.stream().map(JobRecord::command).toList());
            assertEquals(4242L, jobs.get(1).pid());
            assertEquals(Instant.ofEpochMilli(1767261610000L), jobs.get(1).ended());
            assertNull(jobs.get(1).server(), "0.1 rows have no server name");
            assertEquals(1, store.hostEvents("gpu1", 10).size());
            // 0.1's running job is an orphan of this (only) server whatever its name now.
            assertEquals(List.of("ffmpeg -i b.mkv"), store.orphanedJobs("run-02", "jf1").stream().map(JobRecord::command).toList());
            store.pinKnownHost("w", "w ssh-ed25519 AAAA"); // the new tables are there
            long id = store.jobStarted("ffmpeg", "gpu1", "c", Instant.now(), "run-02", "jf1");
            assertTrue(id > jobs.get(0).id());
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("PRAGMA user_version")) {
            assertEquals(Schema.latest(), rs.getInt(1));
        }
    }

    private static String resource(String name) throws Exception {
        try (InputStream in = SchemaUpgradeTest.class.getResourceAsStream("/store/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
