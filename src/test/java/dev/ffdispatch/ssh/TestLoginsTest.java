package dev.ffdispatch.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ffdispatch.TestLogins;
import dev.ffdispatch.TestTimeouts;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The worker logins of {@link TestLogins} through the real OpenSSH sshd: who they are, what their shell costs. */
class TestLoginsTest {
    private static final Duration DELAY = Duration.ofMillis(700);

    @RegisterExtension
    final SshTestbed bed = new SshTestbed();
    OpenSshServer sshd;

    @BeforeEach
    void setUp() throws Exception {
        sshd = bed.openSsh("any", List.of(TestLogins.slowLoginConfig(DELAY)));
    }

    @Test
    void theWorkerLoginRunsCommandsWithShAndIsNotRoot() throws Exception {
        CommandResult r = bed.pool().run(sshd.target("fast"), "id -un; id -u; readlink /proc/$$/exe; readlink -f /bin/sh",
            TestTimeouts.MEDIUM);

        List<String> lines = new String(r.stdout(), StandardCharsets.UTF_8).lines().toList();
        assertEquals(0, r.exitCode(), new String(r.stderr(), StandardCharsets.UTF_8) + sshd.log());
        assertEquals(TestLogins.workerUser(), lines.get(0));
        if (TestLogins.isRoot()) {
            assertNotEquals("0", lines.get(1), "tests never log in as root");
            assertEquals(lines.get(3), lines.get(2), "the login shell is /bin/sh");
        }
        assertEquals("", new String(r.stderr(), StandardCharsets.UTF_8), "a /bin/sh login prints nothing");
    }

    @Test
    void theSlowLoginSleepsInItsBashrcBeforeEveryCommand() throws Exception {
        TestLogins.slowLoginUnavailable().ifPresent(reason -> Assumptions.abort(reason));
        SshTarget slow = sshd.target("slow", TestLogins.slowUser());
        SshPool pool = bed.pool();
        pool.run(slow, "true", TestTimeouts.MEDIUM); // the session is open: what follows is the login shell alone

        long t0 = System.nanoTime();
        CommandResult r = pool.run(slow, "echo \"$BASH_VERSION\"; echo \"$" + TestLogins.DELAY_ENV + "\"; id -un",
            TestTimeouts.MEDIUM.plus(DELAY));
        Duration took = Duration.ofNanos(System.nanoTime() - t0);

        List<String> lines = new String(r.stdout(), StandardCharsets.UTF_8).lines().toList();
        assertEquals(0, r.exitCode(), new String(r.stderr(), StandardCharsets.UTF_8) + sshd.log());
        assertTrue(!lines.get(0).isEmpty(), "bash runs the command: " + lines);
        assertEquals("0.700", lines.get(1));
        assertEquals(TestLogins.SLOW, lines.get(2));
        assertTrue(took.compareTo(DELAY) >= 0, "an exec took " + took.toMillis() + " ms, under the login's " + DELAY);
    }
}
