package dev.ffdispatch.store;

import dev.ffdispatch.PgServer;
import dev.ffdispatch.TestTimeouts;
import dev.ffdispatch.config.Config;
import dev.ffdispatch.config.StateConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The store on a real PostgreSQL server: {@link StoreContract}, passwords, migrations, leases. */
class PostgresStoreIT extends StoreContract {
    @TempDir
    Path dir;
    private PgServer pg;
    private String database;

    @Override
    Store openFirst() throws Exception {
        pg = PgServer.shared();
        database = pg.newDatabase();
        return openAnother();
    }

    @Override
    Store openAnother() {
        return Store.open(state(pg.url(database), null), Map.of(), 2);
    }

    @Override
    java.util.concurrent.Callable<Store> freshState(String name) throws Exception {
        String fresh = pg.newDatabase();
        return () -> Store.open(state(pg.url(fresh), null), Map.of(), 1);
    }

    private static StateConfig state(String url, Path passwordFile) {
        StateConfig d = Config.defaults().state();
        return new StateConfig(url, d.knownHosts(), passwordFile, "test", Duration.ofSeconds(15), StateConfig.LAST_KNOWN);
    }

    @Test
    void theSchemaIsTheOneOfSqliteSpelledForPostgres() throws Exception {
        assertEquals("postgresql", store.engine());
        assertTrue(store.shared());
        assertEquals("postgresql://ffdispatch:***@127.0.0.1:" + pg.port() + "/" + database, store.location());
        try (Connection c = pg.connect(database); Statement st = c.createStatement()) {
            ResultSet rs = st.executeQuery("SELECT version FROM schema_version");
            assertTrue(rs.next());
            assertEquals(Schema.latest(), rs.getInt(1));
            rs = st.executeQuery("SELECT data_type FROM information_schema.columns WHERE table_name = 'jobs'"
                + " AND column_name = 'started'");
            assertTrue(rs.next());
            assertEquals("bigint", rs.getString(1), "epoch milliseconds need 64 bits");
        }
    }

    @Test
    void thePasswordComesFromTheUrlElseTheFileElsePgpassword() throws Exception {
        String url = pg.urlWithoutPassword(database);
        Path file = dir.resolve("pw");
        Files.writeString(file, pg.password() + "\n");
        try (Store s = Store.open(state(url, file), Map.of(), 1)) {
            assertEquals(0, s.hosts().size());
        }
        try (Store s = Store.open(state(url, null), Map.of(Store.PASSWORD_VARIABLE, pg.password()), 1)) {
            assertEquals(0, s.hosts().size());
        }
        StoreException wrong = assertThrows(StoreException.class,
            () -> Store.open(state(url, null), Map.of(Store.PASSWORD_VARIABLE, "wrong"), 1));
        assertEquals(StoreException.Kind.UNAVAILABLE, wrong.kind());
        assertTrue(wrong.getMessage().contains("password authentication failed"), wrong.getMessage());
        assertFalse(wrong.getMessage().contains(pg.password()), "no password in messages");
        StoreException unreadable = assertThrows(StoreException.class,
            () -> Store.open(state(url, dir.resolve("missing")), Map.of(), 1));
        assertTrue(unreadable.getMessage().contains("cannot read state.password_file"), unreadable.getMessage());
    }

    @Test
    void aServerThatIsNotThereIsUnavailableWithinSeconds() {
        long t0 = System.nanoTime();
        StoreException e = assertThrows(StoreException.class,
            () -> Store.open(state("postgresql://u:p@127.0.0.1:1/db", null), Map.of(), 1));
        assertEquals(StoreException.Kind.UNAVAILABLE, e.kind());
        assertTrue(e.getMessage().contains("cannot connect to database postgresql://u:***@127.0.0.1:1/db"), e.getMessage());
        assertTrue(System.nanoTime() - t0 < TestTimeouts.SHORT.toNanos(), "fails fast");
    }

    @Test
    void leasesCountEveryLiveServerAndForgetOneWhoseLeaseRanOut() throws Exception {
        Leases a = store.leases("run-a", "jf1", Duration.ofSeconds(30));
        Leases b = store.leases("run-b", "jf2", Duration.ofSeconds(30));
        a.resync(Map::of, 1);
        b.resync(Map::of, 2);
        assertEquals(OptionalLong.of(7), a.reserve(0, live -> OptionalLong.of(7)));
        assertEquals(OptionalLong.of(7), a.reserve(1, live -> OptionalLong.of(7)));
        List<Map<Long, Long>> seen = new ArrayList<>();
        b.reserve(0, live -> {
            seen.add(live);
            return OptionalLong.of(8);
        });
        assertEquals(Map.of(7L, 2L), seen.get(0), "b sees a's two jobs");
        assertEquals(Map.of(7L, 2L, 8L, 1L), a.live());
        a.release(1);
        assertEquals(1L, b.live(7));
        try (Connection c = pg.connect(database); Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE daemons SET lease_until = 0 WHERE run_id = 'run-a'"); // a stopped renewing long ago
        }
        assertEquals(Map.of(8L, 1L), b.live(), "an expired lease holds nothing");
        assertTrue(b.renew());
        assertFalse(a.renew(), "a's row was collected: it must merge its jobs again");
        assertThrows(Leases.LeaseLostException.class, () -> a.reserve(5, live -> OptionalLong.of(7)));
        a.resync(() -> Map.of(0L, 7L, 9L, 8L), 1);
        assertEquals(Map.of(7L, 1L, 8L, 2L), b.live());
        a.release(1);
        a.release(5);
        assertEquals(Map.of(7L, 1L, 8L, 2L), b.live(), "releasing a place the rows no longer hold changes no count");
        a.release(9);
        a.release(9);
        assertEquals(Map.of(7L, 1L, 8L, 1L), b.live(), "a release counts once");
        a.unregister();
        assertEquals(Map.of(8L, 1L), b.live());
    }
}
