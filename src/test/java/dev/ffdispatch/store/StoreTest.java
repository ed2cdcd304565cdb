package dev.ffdispatch.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The store on a SQLite file: {@link StoreContract}, and what only a file has (WAL, modes, locks). */
class StoreTest extends StoreContract {

    @TempDir
    Path dir;
    private Path db;

    @Override
    Store openFirst() {
        db = dir.resolve("sub/dir/ffdispatch.db");
        return Store.open(db);
    }

    @Override
    Store openAnother() {
        return Store.open(db);
    }

    @Override
    java.util.concurrent.Callable<Store> freshState(String name) {
        Path fresh = dir.resolve(name + "/ffdispatch.db");
        return () -> Store.open(fresh);
    }

    @Test
    void opensWithWalAndLatestSchemaCreatingParents() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
            ResultSet mode = st.executeQuery("PRAGMA journal_mode");
            assertEquals("wal", mode.getString(1));
            ResultSet version = st.executeQuery("PRAGMA user_version");
            assertEquals(Schema.latest(), version.getInt(1));
        }
        Store.open(db).close();
        assertEquals(List.of(), store.hosts());
    }

    @Test
    void refusesASchemaNewerThanItKnows() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
            st.execute("PRAGMA user_version = 99");
        }
        StoreException e = assertThrows(StoreException.class, () -> Store.open(db));
        assertEquals(StoreException.Kind.INVALID, e.kind());
        assertTrue(e.getMessage().contains("schema version 99"), e.getMessage());
    }

    @Test
    void writerIsNotBlockedByALongReadTransactionElsewhere() throws Exception {
        store.addHost(NewHost.of("w"));
        try (Connection reader = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = reader.createStatement()) {
            st.execute("BEGIN");
            st.executeQuery("SELECT count(*) FROM hosts").close();
            store.updateHost("w", HostChanges.weight(9));
            st.execute("COMMIT");
        }
        assertEquals(9, store.host("w").orElseThrow().weight());
    }

    @Test
    void theDatabaseAndItsWalAndShmFilesAreNotReadableByOthers() throws Exception {
        store.jobStarted("ffmpeg", "w1", "ffmpeg -i /media/secret.mkv", T0, "run"); // WAL and shm now exist
        for (String suffix : new String[] {"", "-wal", "-shm"}) {
            Path file = db.resolveSibling(db.getFileName() + suffix);
            String mode = java.nio.file.attribute.PosixFilePermissions.toString(java.nio.file.Files.getPosixFilePermissions(file));
            assertEquals("rw-r-----", mode, file.toString());
        }
    }

    @Test
    void anExistingWorldReadableDatabaseIsTightenedWhenOpened() throws Exception {
        store.close();
        java.nio.file.Files.setPosixFilePermissions(db, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        store = Store.open(db);
        assertEquals("rw-r-----", java.nio.file.attribute.PosixFilePermissions.toString(
            java.nio.file.Files.getPosixFilePermissions(db)));
    }

    @Test
    void aHostCalledLocalFromBeforeTheNameWasReservedIsSetAsideWithTheFix() throws Exception {
        store.addHost(NewHost.of("w1"));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE hosts SET name = 'local' WHERE name = 'w1'");
        }
        HostRecord local = store.hosts().get(0);
        assertTrue(local.problem().contains("reserved for this machine") && local.problem().contains("host remove local"),
            local.problem());
        assertThrows(StoreException.class, () -> store.addHost(new NewHost("LOCAL", "w2", 22, null, 1, null, null, null,
            List.of(), null)));
    }
}
