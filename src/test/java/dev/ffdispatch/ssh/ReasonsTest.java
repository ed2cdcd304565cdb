package dev.ffdispatch.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ffdispatch.TestTimeouts;
import dev.ffdispatch.demo.LoopbackWorker;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Failures on the way to a worker, produced for real, read as a person would say them. */
class ReasonsTest {
    /** What must never reach status, jobs or logs: ISO durations, class names, "null". */
    private static final Pattern UNREADABLE = Pattern.compile("PT[0-9.]+S|[a-z]+\\.[a-z]+\\.[A-Z]\\w+|\\w+Exception|\\bnull\\b");

    @TempDir
    Path dir;

    @Test
    void durationsAsAPersonSaysThem() {
        assertEquals("850 ms", Reasons.duration(Duration.ofMillis(850)));
        assertEquals("2.4 s", Reasons.duration(Duration.ofMillis(2400)));
        assertEquals("1.8 s", Reasons.duration(Duration.parse("PT1.786433539S")));
        assertEquals("3 s", Reasons.duration(Duration.ofSeconds(3)));
        assertEquals("45 s", Reasons.duration(Duration.ofSeconds(45)));
        assertEquals("10 min", Reasons.duration(Duration.ofMinutes(10)));
        assertEquals("3 h", Reasons.duration(Duration.ofHours(3)));
    }

    @Test
    void connectionRefused() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        String reason = failure(new SshTarget("w", "127.0.0.1", closedPort, "u"));
        assertTrue(reason.contains("connection refused"), reason);
        readable(reason);
    }

    @Test
    void dnsNameNotFound() throws Exception {
        String reason = failure(new SshTarget("w", "no-such-worker.invalid", 22, "u"));
        assertTrue(reason.contains("DNS name not found"), reason);
        readable(reason);
    }

    @Test
    void hostKeyChangedAndLoginRefused() throws Exception {
        try (SshTestbed bed = new SshTestbed(dir)) {
            LoopbackWorker worker = bed.unpinnedWorker("w");
            LoopbackWorker other = bed.unpinnedWorker("other");
            SshTarget target = SshTestbed.target(worker);
            new HostKeys(bed.knownHosts()).pin(target, other.hostKey());
            String changed = Reasons.of(assertThrows(IOException.class,
                () -> bed.pool().run(target, "true", TestTimeouts.SHORT)));
            assertTrue(changed.contains("host key CHANGED"), changed);
            readable(changed);

            new HostKeys(bed.knownHosts()).pin(target, worker.hostKey());
            SshTestbed stranger = new SshTestbed(dir.resolve("stranger"));
            stranger.closeLater(bed);
            java.nio.file.Files.copy(bed.knownHosts(), stranger.knownHosts());
            String refused = Reasons.of(assertThrows(IOException.class,
                () -> stranger.pool().run(target, "true", TestTimeouts.SHORT)));
            assertTrue(refused.contains("login refused"), refused);
            readable(refused);
        }
    }

    @Test
    void wrappersWithoutMessagesStillSaySomething() {
        assertEquals("connection lost", Reasons.of(new IOException(new java.io.EOFException())));
        assertEquals("unexpected failure (null pointer)", Reasons.of(new NullPointerException()));
        assertEquals("no answer in time", Reasons.of(new java.util.concurrent.TimeoutException()));
        assertEquals("took 2.4 s", Reasons.of(new IOException("took PT2.4S")));
        assertEquals("unknown failure", Reasons.of(null));
    }

    private String failure(SshTarget target) throws Exception {
        try (SshTestbed bed = new SshTestbed(dir)) {
            IOException e = assertThrows(IOException.class, () -> bed.pool().run(target, "true", TestTimeouts.MEDIUM));
            return Reasons.of(e);
        }
    }

    private static void readable(String reason) {
        assertFalse(UNREADABLE.matcher(reason).find(), "unreadable: " + reason);
    }
}
