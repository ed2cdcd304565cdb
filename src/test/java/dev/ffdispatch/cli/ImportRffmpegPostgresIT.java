package dev.ffdispatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ffdispatch.PgServer;
import dev.ffdispatch.store.HostRecord;
import dev.ffdispatch.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** import-rffmpeg from rffmpeg's PostgreSQL database (its hosts table as rffmpeg creates it there), on a real server. */
class ImportRffmpegPostgresIT {
    @TempDir
    Path dir;
    private PgServer pg;
    private String database;
    private Path home;
    private Path yml;

    @BeforeEach
    void rffmpegOnPostgres() throws Exception {
        pg = PgServer.shared();
        database = pg.newDatabase();
        home = Files.createDirectories(dir.resolve("home"));
        yml = Files.writeString(dir.resolve("rffmpeg.yml"), "rffmpeg:\n    remote:\n        user: jelly\n");
        try (Connection c = pg.connect(database); Statement st = c.createStatement()) {
            // rffmpeg's tables with its PostgreSQL types (SERIAL keys, TIMESTAMP).
            st.executeUpdate("CREATE TABLE hosts (id SERIAL PRIMARY KEY, servername TEXT NOT NULL UNIQUE,"
                + " hostname TEXT NOT NULL, weight INTEGER DEFAULT 1, created TIMESTAMP NOT NULL)");
            st.executeUpdate("CREATE TABLE processes (id SERIAL PRIMARY KEY, host_id INTEGER, process_id INTEGER, cmd TEXT)");
            st.executeUpdate("CREATE TABLE states (id SERIAL PRIMARY KEY, host_id INTEGER, process_id INTEGER, state TEXT)");
            st.executeUpdate("INSERT INTO hosts (servername, hostname, weight, created) VALUES"
                + " ('gpu1', '10.0.0.5', 4, '2024-01-01 10:00:00'), ('gpu2', 'gpu2.lan', NULL, '2024-01-02 10:00:00')");
        }
    }

    @Test
    void aUrlGivenWithDbAndThePasswordFromRffmpegsVariable() {
        CliRunner.Result r = new CliRunner(home).env("RFFMPEG_POSTGRES_PASS", pg.password())
            .run("import-rffmpeg", "--rffmpeg-config", yml.toString(), "--db", pg.urlWithoutPassword(database));
        assertEquals(AdminExitCodes.OK, r.code(), r.toString());
        assertTrue(r.out().contains("rffmpeg database: postgresql://ffdispatch@127.0.0.1:" + pg.port() + "/" + database
            + " (2 host(s))"), r.out());
        try (Store store = Store.open(home.resolve("ffdispatch.db"))) {
            HostRecord gpu1 = store.requireHost("gpu1");
            assertEquals("10.0.0.5", gpu1.address());
            assertEquals(4, gpu1.weight());
            assertEquals(1, store.requireHost("gpu2").weight(), "a NULL weight is rffmpeg's default, 1");
        }
    }

    @Test
    void rffmpegsOwnVariablesAreReadWhenNoDbIsGiven() {
        CliRunner.Result r = new CliRunner(home).env("RFFMPEG_POSTGRES_USER", PgServer.USER)
            .env("RFFMPEG_POSTGRES_PASS", pg.password()).env("RFFMPEG_POSTGRES_HOST", "127.0.0.1")
            .env("RFFMPEG_POSTGRES_PORT", String.valueOf(pg.port())).env("RFFMPEG_POSTGRES_DB", database)
            .run("import-rffmpeg", "--rffmpeg-config", yml.toString(), "--dry-run");
        assertEquals(AdminExitCodes.OK, r.code(), r.toString());
        assertTrue(r.out().contains("added     gpu1") && r.out().contains("added     gpu2"), r.out());
    }

    @Test
    void aWrongPasswordSaysWhereThePasswordComesFrom() {
        CliRunner.Result r = new CliRunner(home).env("PGPASSWORD", "wrong")
            .run("import-rffmpeg", "--rffmpeg-config", yml.toString(), "--db", pg.urlWithoutPassword(database));
        assertEquals(AdminExitCodes.INVALID_INPUT, r.code(), r.toString());
        assertTrue(r.err().contains("cannot read the hosts table of rffmpeg's PostgreSQL database")
            && r.err().contains("RFFMPEG_POSTGRES_PASS or PGPASSWORD"), r.err());
    }
}
