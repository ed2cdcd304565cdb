package dev.ffdispatch.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigTest {
    private final Config d = Config.defaults();

    @Test
    void defaultsAreTheDocumentedOnesAndValid() {
        assertDoesNotThrow(d::validate);
        assertEquals(Path.of("/run/ffdispatch/ffdispatch.sock"), d.daemon().socket());
        assertEquals("/var/lib/ffdispatch/ffdispatch.db", d.state().database());
        assertEquals(List.of(Path.of("/var/lib/ffdispatch/id_ed25519")), d.ssh().identities());
        assertEquals(Duration.ofSeconds(1), d.poll().interval());
        assertEquals(Duration.ofSeconds(10), d.ssh().loginShellTimeout());
        assertEquals(Duration.ofMinutes(1), d.poll().wakeInterval());
        assertEquals(List.of("TZ", "LANG", "LC_ALL"), d.jobs().envPassthrough());
        assertEquals(4, d.ssh().maxSessionsPerHost());
        assertNull(d.log().file());
    }

    @Test
    void homeDefaultsPutEveryFileUnderHome() {
        Config h = Config.defaultsForHome(Path.of("/tmp/h"));
        assertEquals(Path.of("/tmp/h/ffdispatch.sock"), h.daemon().socket());
        assertEquals("/tmp/h/ffdispatch.db", h.state().database());
        assertEquals(Path.of("/tmp/h/known_hosts"), h.state().knownHosts());
        assertEquals(List.of(Path.of("/tmp/h/id_ed25519")), h.ssh().identities());
    }

    @Test
    void pollTimeoutMayExceedTheIntervalAndWakeIntervalMustBePositive() {
        withPoll(new PollConfig(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofMinutes(1),
            Duration.ofMinutes(1))).validate();
        Config c = withPoll(new PollConfig(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofMinutes(1),
            Duration.ZERO));
        assertEquals("poll.wake_interval", assertThrows(ConfigException.class, c::validate).key());
    }

    @Test
    void durationsMustBePositive() {
        Config c = withPoll(new PollConfig(Duration.ZERO, Duration.ofSeconds(1), Duration.ofMinutes(1), Duration.ofMinutes(1)));
        assertEquals("poll.interval", assertThrows(ConfigException.class, c::validate).key());
    }

    @Test
    void sessionsPerHostAreBounded() {
        for (int bad : new int[] {0, 65}) {
            Config c = new Config(d.daemon(), d.state(), new SshConfig("u", List.of(), Duration.ofSeconds(5),
                    Duration.ofSeconds(10), Duration.ofSeconds(15), Duration.ofMinutes(10), bad), d.local(), d.jobs(), d.poll(), d.routing(),
                    d.metrics(), d.log());
            ConfigException e = assertThrows(ConfigException.class, c::validate);
            assertTrue(e.getMessage().contains("value " + bad + " is out of range; accepted: 1..64"), e.getMessage());
        }
    }

    @Test
    void socketPathMustFitSunPath() {
        Path longPath = Path.of("/" + "x".repeat(120) + "/s.sock");
        Config c = new Config(new DaemonConfig(longPath, "", List.of(), List.of(), Duration.ofSeconds(1)),
                d.state(), d.ssh(), d.local(), d.jobs(), d.poll(), d.routing(), d.metrics(), d.log());
        assertEquals("daemon.socket", assertThrows(ConfigException.class, c::validate).key());
    }

    @Test
    void routingToolsAndPatternsAreChecked() {
        Config tools = withRouting(new RoutingConfig(List.of("ffplay"), List.of()));
        assertTrue(assertThrows(ConfigException.class, tools::validate).getMessage()
                .contains("'ffplay' is not a tool; accepted: ffmpeg, ffprobe"));
        Config regex = withRouting(new RoutingConfig(List.of("ffprobe"), List.of("(unclosed")));
        assertEquals("routing.local_patterns", assertThrows(ConfigException.class, regex::validate).key());
    }

    @Test
    void describeHasOneLinePerSection() {
        String text = d.describe();
        assertEquals(9, text.lines().count(), text);
        assertTrue(text.contains("poll: interval=1s, timeout=2s, backoff_max=1m, wake_interval=1m"), text);
        assertTrue(text.contains("log: level=info, file="), text);
        assertTrue(text.contains("jobs: kill_grace=5s, env_passthrough=[TZ, LANG, LC_ALL], env={}"), text);
    }

    private Config withPoll(PollConfig poll) {
        return new Config(d.daemon(), d.state(), d.ssh(), d.local(), d.jobs(), poll, d.routing(), d.metrics(), d.log());
    }

    private Config withRouting(RoutingConfig routing) {
        return new Config(d.daemon(), d.state(), d.ssh(), d.local(), d.jobs(), d.poll(), routing, d.metrics(), d.log());
    }
}
