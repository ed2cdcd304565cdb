package dev.ffdispatch.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    @Test
    void fullFileIsRead() throws IOException {
        Path file = write("""
                daemon:
                  socket: /tmp/x.sock
                  allowed_users: [jellyfin]
                ssh:
                  user: worker
                  identities: [/k1, /k2]
                  max_sessions_per_host: 8
                jobs:
                  env: {LIBVA_DRIVER_NAME: iHD}
                poll:
                  interval: 500ms
                  timeout: PT0.2S
                local:
                  fallback: false
                log:
                  file: /var/log/ffdispatch.log
                """);
        LoadedConfig loaded = ConfigLoader.load(file, Map.of());
        Config c = loaded.config();
        assertTrue(loaded.fromFile());
        assertEquals(file, loaded.source());
        assertEquals(Path.of("/tmp/x.sock"), c.daemon().socket());
        assertEquals(List.of("jellyfin"), c.daemon().allowedUsers());
        assertEquals(List.of(Path.of("/k1"), Path.of("/k2")), c.ssh().identities());
        assertEquals(8, c.ssh().maxSessionsPerHost());
        assertEquals(Map.of("LIBVA_DRIVER_NAME", "iHD"), c.jobs().env());
        assertEquals(Duration.ofMillis(500), c.poll().interval());
        assertEquals(Duration.ofMillis(200), c.poll().timeout());
        assertEquals(Duration.ofSeconds(60), c.poll().backoffMax(), "keys not in the file keep their default");
        assertFalse(c.local().fallback());
        assertEquals(Path.of("/var/log/ffdispatch.log"), c.log().file());
    }

    @Test
    void missingDefaultFileMeansDefaults() {
        LoadedConfig loaded = ConfigLoader.load(null, Map.of("FFDISPATCH_HOME", dir.toString()));
        assertFalse(loaded.fromFile());
        assertEquals(dir.resolve("ffdispatch.yml"), loaded.source());
        assertEquals(Config.defaultsForHome(dir), loaded.config());
    }

    @Test
    void homeFileIsReadAndHomeDefaultsApply() throws IOException {
        Files.writeString(dir.resolve("ffdispatch.yml"), "metrics:\n  listen: 127.0.0.1:9464\n");
        LoadedConfig loaded = ConfigLoader.load(null, Map.of("FFDISPATCH_HOME", dir.toString()));
        assertTrue(loaded.fromFile());
        assertEquals("127.0.0.1:9464", loaded.config().metrics().listen());
        assertEquals(dir.resolve("ffdispatch.db").toString(), loaded.config().state().database());
    }

    @Test
    void configVariableNamesTheFileAndMustExist() throws IOException {
        Path file = write("log:\n  level: debug\n");
        assertEquals("debug", ConfigLoader.load(null, Map.of("FFDISPATCH_CONFIG", file.toString())).config().log().level());
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(dir.resolve("nope.yml"), Map.of()));
        assertTrue(e.getMessage().contains("nope.yml does not exist"), e.getMessage());
    }

    @Test
    void environmentOverridesTheFile() throws IOException {
        Path file = write("metrics:\n  listen: 127.0.0.1:1\npoll:\n  interval: 10s\n");
        Config c = ConfigLoader.load(file, Map.of(
                "FFDISPATCH_METRICS_LISTEN", "0.0.0.0:9464",
                "FFDISPATCH_METRICS_ALLOW_REMOTE", "true",
                "FFDISPATCH_POLL_BACKOFF_MAX", "2m",
                "FFDISPATCH_SSH_MAX_SESSIONS_PER_HOST", "2",
                "FFDISPATCH_LOCAL_FALLBACK", "false",
                "FFDISPATCH_DAEMON_ALLOWED_GROUPS", "jellyfin, video",
                "FFDISPATCH_JOBS_ENV", "A=1,B=x=y",
                "FFDISPATCH_SOMETHING_ELSE", "ignored: not a config section")).config();
        assertEquals("0.0.0.0:9464", c.metrics().listen());
        assertEquals(Duration.ofSeconds(10), c.poll().interval());
        assertEquals(Duration.ofMinutes(2), c.poll().backoffMax());
        assertEquals(2, c.ssh().maxSessionsPerHost());
        assertFalse(c.local().fallback());
        assertEquals(List.of("jellyfin", "video"), c.daemon().allowedGroups());
        assertEquals(Map.of("A", "1", "B", "x=y"), c.jobs().env());
    }

    @Test
    void unknownKeyNamesFileLineKeyAndKnownKeys() throws IOException {
        Path file = write("ssh:\n  user: x\npoll:\n  interval: 3s\n  intervall: 5s\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file, Map.of()));
        assertEquals(file + ":5:3: key 'poll.intervall' is not known; known keys here: interval, timeout, backoff_max, wake_interval",
                e.getMessage());
    }

    @Test
    void unknownSectionListsSections() throws IOException {
        Path file = write("pol:\n  interval: 3s\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file, Map.of()));
        assertTrue(e.getMessage().startsWith(file + ":1:1: key 'pol' is not known; known sections: daemon, state, ssh,"),
                e.getMessage());
    }

    @Test
    void badTypeNamesLineValueAndAcceptedValues() throws IOException {
        Path file = write("poll:\n  timeout: 1s\n  interval: soon\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file, Map.of()));
        assertEquals(file + ":3:3: key 'poll.interval' has invalid value 'soon'; expected a duration like 500ms, 3s,"
                + " 10m, 1h or ISO-8601 PT3S", e.getMessage());

        Path ints = write("ssh:\n  max_sessions_per_host: many\n");
        assertTrue(assertThrows(ConfigException.class, () -> ConfigLoader.load(ints, Map.of())).getMessage()
                .endsWith(":2:3: key 'ssh.max_sessions_per_host' has invalid value 'many'; expected a whole number"));

        Path fraction = write("ssh:\n  max_sessions_per_host: 1.5\n");
        assertTrue(assertThrows(ConfigException.class, () -> ConfigLoader.load(fraction, Map.of())).getMessage()
                .contains("key 'ssh.max_sessions_per_host' has invalid value 1.5; expected a whole number"));

        Path section = write("poll: 3s\n");
        assertTrue(assertThrows(ConfigException.class, () -> ConfigLoader.load(section, Map.of())).getMessage()
                .contains(":1:1: key 'poll' has invalid value '3s'; expected a mapping with keys: interval, timeout, backoff_max, wake_interval"));
    }

    @Test
    void emptyValueIsAnErrorNotANull() throws IOException {
        Path file = write("ssh:\n  user:\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file, Map.of()));
        assertTrue(e.getMessage().contains(":2:3: key 'ssh.user' has no value"), e.getMessage());
    }

    @Test
    void validationErrorsCarryTheLineOfTheKey() throws IOException {
        Path file = write("# comment\npoll:\n  interval: 2s\n  backoff_max: 1s\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file, Map.of()));
        assertTrue(e.getMessage().startsWith(file + ":4:3: key 'poll.backoff_max' backoff_max 1s must not be shorter"),
                e.getMessage());
    }

    @Test
    void aPostgresUrlIsSharedStateAndAnUnknownSchemeIsAnErrorWithItsLine() throws IOException {
        Path good = write("state:\n  database: postgresql://jf@db.lan:5432/ffdispatch\n  password_file: /etc/ffdispatch/db.pass\n");
        StateConfig state = ConfigLoader.load(good, Map.of()).config().state();
        assertTrue(state.location() instanceof DatabaseLocation.Postgres, state.location().toString());
        assertEquals(Path.of("/etc/ffdispatch/db.pass"), state.passwordFile());
        Path bad = write("# comment\nstate:\n  database: mariadb://jf@db.lan/ffdispatch\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(bad, Map.of()));
        assertTrue(e.getMessage().startsWith(bad + ":3:3: key 'state.database' value 'mariadb://jf@db.lan/ffdispatch'"
            + " is a URL with scheme 'mariadb'"), e.getMessage());
        assertTrue(ConfigLoader.load(null, Map.of("FFDISPATCH_HOME", dir.toString())).config().state().passwordFile() == null);
    }

    @Test
    void environmentErrorsNameTheVariable() {
        ConfigException bad = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(null, Map.of("FFDISPATCH_HOME", dir.toString(), "FFDISPATCH_POLL_INTERVAL", "x")));
        assertTrue(bad.getMessage().startsWith("environment variable FFDISPATCH_POLL_INTERVAL: key 'poll.interval'"),
                bad.getMessage());
        ConfigException typo = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(null, Map.of("FFDISPATCH_HOME", dir.toString(), "FFDISPATCH_POLL_INTERVALL", "3s")));
        assertTrue(typo.getMessage().contains("FFDISPATCH_POLL_INTERVALL is not a config key; known in section 'poll':"
                + " FFDISPATCH_POLL_BACKOFF_MAX, FFDISPATCH_POLL_INTERVAL, FFDISPATCH_POLL_TIMEOUT,"
                + " FFDISPATCH_POLL_WAKE_INTERVAL"), typo.getMessage());
    }

    @Test
    void yamlSyntaxErrorsAndNonMappingsAreReportedWithTheFile() throws IOException {
        Path broken = write("poll:\n  interval: [3s\n");
        assertTrue(assertThrows(ConfigException.class, () -> ConfigLoader.load(broken, Map.of())).getMessage()
                .contains("not valid YAML"));
        Path list = write("- a\n- b\n");
        assertTrue(assertThrows(ConfigException.class, () -> ConfigLoader.load(list, Map.of())).getMessage()
                .startsWith(list + ":1:1: the file must be a YAML mapping"));
        assertEquals(Config.defaults().poll(), ConfigLoader.load(write(""), Map.of()).config().poll());
    }

    @Test
    void aHomeDirectoryPutsEveryFileUnderIt() {
        Config c = ConfigLoader.load(null, Map.of("FFDISPATCH_HOME", dir.toString())).config();
        assertEquals(dir.toAbsolutePath().resolve("ffdispatch.db").toString(), c.state().database());
    }

    private int files;

    private Path write(String yaml) throws IOException {
        return Files.writeString(dir.resolve("c" + (files++) + ".yml"), yaml);
    }

    @Test
    void aMetricsAddressOtherMachinesCanReachNeedsAllowRemote() throws IOException {
        for (String listen : new String[] {"0.0.0.0:9464", "192.168.1.5:9464", "[::]:9464", "jellyfin.lan:9464"}) {
            ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(write("metrics:\n  listen: \"" + listen + "\"\n"), Map.of()), listen);
            assertTrue(e.getMessage().contains("metrics.allow_remote: true") && e.getMessage().contains(listen), e.getMessage());
        }
        for (String listen : new String[] {"127.0.0.1:9464", "[::1]:9464", "localhost:9464", "127.0.0.2:1"}) {
            assertEquals(listen, ConfigLoader.load(write("metrics:\n  listen: \"" + listen + "\"\n"), Map.of())
                .config().metrics().listen());
        }
        Config open = ConfigLoader.load(write("metrics:\n  listen: 0.0.0.0:9464\n  allow_remote: true\n"), Map.of()).config();
        assertEquals("0.0.0.0:9464", open.metrics().listen());
    }
}
