package dev.ffdispatch.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

class SshSettingsTest {
    private static final Path KNOWN = Path.of("/k");
    private static final List<Path> IDS = List.of(Path.of("/id"));

    @Test
    void defaultsAreValid() {
        SshSettings s = SshSettings.defaults(KNOWN, IDS);
        assertEquals(SshSettings.DEFAULT_MAX_SESSIONS_PER_HOST, s.maxSessionsPerHost());
    }

    @Test
    void rejectsContradictionsNamingTheValue() {
        Duration one = Duration.ofSeconds(1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> new SshSettings(KNOWN, IDS, Duration.ZERO, one, one, Duration.ofMinutes(1), 1));
        assertTrue(e.getMessage().contains("connectTimeout (PT0S)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
            () -> new SshSettings(KNOWN, IDS, one, one, Duration.ofMinutes(2), Duration.ofMinutes(1), 1));
        assertTrue(e.getMessage().contains("heartbeat (PT2M)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
            () -> new SshSettings(KNOWN, IDS, one, one, one, Duration.ofMinutes(1), 0));
        assertTrue(e.getMessage().contains("maxSessionsPerHost (0)"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
            () -> new SshSettings(KNOWN, List.of(), one, one, one, Duration.ofMinutes(1), 1));
    }
}
