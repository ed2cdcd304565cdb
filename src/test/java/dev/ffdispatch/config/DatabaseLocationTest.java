package dev.ffdispatch.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatabaseLocationTest {
    @Test
    void aValueThatIsNotAUrlIsASqliteFile() {
        assertEquals(new DatabaseLocation.SqliteFile(Path.of("/var/lib/ffdispatch/ffdispatch.db")),
            DatabaseLocation.parse("/var/lib/ffdispatch/ffdispatch.db"));
        assertEquals(new DatabaseLocation.SqliteFile(Path.of("state/x.db")), DatabaseLocation.parse("state/x.db"));
    }

    @Test
    void aPostgresUrlGivesUserHostPortDatabaseAndTheDecodedPassword() {
        DatabaseLocation.Postgres pg = (DatabaseLocation.Postgres) DatabaseLocation.parse(
            "postgresql://jf:p%40ss%3Aword@db.lan:5433/ffdispatch?sslmode=require");
        assertEquals("jf", pg.user());
        assertEquals("p@ss:word", pg.password());
        assertEquals("db.lan", pg.host());
        assertEquals(5433, pg.port());
        assertEquals("ffdispatch", pg.database());
        assertEquals(Map.of("sslmode", "require"), pg.options());
        assertEquals("jdbc:postgresql://db.lan:5433/ffdispatch?sslmode=require", pg.jdbcUrl());
        assertEquals("postgresql://jf:***@db.lan:5433/ffdispatch", pg.display());
    }

    @Test
    void thePortDefaultsTo5432AndIpv6HostsKeepTheirBrackets() {
        DatabaseLocation.Postgres pg = (DatabaseLocation.Postgres) DatabaseLocation.parse("postgres://jf@[::1]/ffd");
        assertEquals(5432, pg.port());
        assertEquals("::1", pg.host());
        assertNull(pg.password());
        assertEquals("jdbc:postgresql://[::1]:5432/ffd", pg.jdbcUrl());
        assertEquals("postgresql://jf@[::1]:5432/ffd", pg.display());
    }

    @Test
    void aUrlWithAnotherSchemeIsAnErrorNeverAFileName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> DatabaseLocation.parse("mysql://root:secret@db/ffd"));
        assertTrue(e.getMessage().contains("scheme 'mysql', which ffdispatch does not know"), e.getMessage());
        assertTrue(e.getMessage().contains("postgresql://user@host:port/database"), e.getMessage());
        assertFalse(e.getMessage().contains("secret"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DatabaseLocation.parse("jdbc:postgresql://db/ffd"));
        assertThrows(IllegalArgumentException.class, () -> DatabaseLocation.parse("sqlite:/var/lib/x.db"));
    }

    @Test
    void incompleteOrUnsafePostgresUrlsSayWhatIsMissing() {
        assertMessage("postgresql://db.lan:5432/ffd", "names no user");
        assertMessage("postgresql://jf@db.lan:5432", "names no database");
        assertMessage("postgresql://jf@db.lan/ffd?socketFactory=x.Y", "has the option 'socketFactory=x.Y'; accepted: sslmode");
        assertMessage("postgresql:///ffd", "names no host");
    }

    @Test
    void theLoggedConfigurationMasksThePassword() {
        StateConfig d = Config.defaults().state();
        Config c = withState(new StateConfig("postgresql://jf:hunter2@db:5432/ffd", d.knownHosts(), null, "", d.lease(),
            d.whenAway()));
        c.validate();
        assertTrue(c.describe().contains("database=postgresql://jf:***@db:5432/ffd"), c.describe());
        assertFalse(c.describe().contains("hunter2"), c.describe());
    }

    @Test
    void stateKeysAreValidated() {
        StateConfig d = Config.defaults().state();
        ConfigException url = assertThrows(ConfigException.class, () -> withState(new StateConfig("postgresql:/x",
            d.knownHosts(), null, "", d.lease(), d.whenAway())).validate());
        assertEquals("state.database", url.key());
        ConfigException away = assertThrows(ConfigException.class, () -> withState(new StateConfig(d.database(),
            d.knownHosts(), null, "", d.lease(), "wait")).validate());
        assertTrue(away.getMessage().contains("'wait' is not known; accepted: last_known, local"), away.getMessage());
        ConfigException lease = assertThrows(ConfigException.class, () -> withState(new StateConfig(d.database(),
            d.knownHosts(), null, "", java.time.Duration.ofSeconds(1), d.whenAway())).validate());
        assertEquals("state.lease", lease.key());
        ConfigException name = assertThrows(ConfigException.class, () -> withState(new StateConfig(d.database(),
            d.knownHosts(), null, "jelly fin", d.lease(), d.whenAway())).validate());
        assertEquals("state.server_name", name.key());
    }

    private static void assertMessage(String value, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DatabaseLocation.parse(value));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    private static Config withState(StateConfig state) {
        Config d = Config.defaults();
        return new Config(d.daemon(), state, d.ssh(), d.local(), d.jobs(), d.poll(), d.routing(), d.metrics(), d.log());
    }
}
