package dev.ffdispatch.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.ffdispatch.TestTimeouts;
import dev.ffdispatch.posix.JobExitCodes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The pool against the real OpenSSH sshd (as on a worker). */
class OpenSshTest {
    @RegisterExtension
    final SshTestbed bed = new SshTestbed();
    OpenSshServer sshd;
    SshTarget target;

    @BeforeEach
    void setUp() throws Exception {
        sshd = bed.unpinnedOpenSsh("real", List.of("MaxSessions 2"));
        target = sshd.target("real");
    }

    @Test
    void fetchesPinsAndRuns() throws Exception {
        HostKeys hostKeys = new HostKeys(bed.knownHosts());
        PublicKey offered = hostKeys.fetch(target, TestTimeouts.SHORT);
        assertEquals(HostKeys.fingerprint(sshd.hostKey()), HostKeys.fingerprint(offered));
        SshPool pool = bed.pool();
        assertThrows(HostKeyRejectedException.class, () -> pool.run(target, "true", TestTimeouts.SHORT));

        hostKeys.pin(target, offered);
        CommandResult result = pool.run(target, "echo hi; echo oops >&2; exit 7", TestTimeouts.MEDIUM);

        assertEquals(7, result.exitCode(), sshd.log().toString());
        assertEquals("hi\n", new String(result.stdout(), StandardCharsets.UTF_8));
        assertEquals("oops\n", new String(result.stderr(), StandardCharsets.UTF_8));
    }

    @Test
    void mapsExitSignalKillTo137() throws Exception {
        new HostKeys(bed.knownHosts()).pin(target, sshd.hostKey());
        SshPool pool = bed.pool();

        RemoteChannel channel = pool.open(target, "kill -9 $$", new ByteArrayOutputStream(),
            new ByteArrayOutputStream(), TestTimeouts.MEDIUM);
        channel.stdin().close();
        RemoteExit exit = channel.exit().get(TestTimeouts.MEDIUM.toMillis(), TimeUnit.MILLISECONDS);

        assertEquals("KILL", exit.signal(), exit.toString());
        assertEquals(JobExitCodes.SIGNAL_BASE + 9, exit.exitCode());
    }

    @Test
    void opensMoreSessionsBeyondMaxSessions() throws Exception {
        new HostKeys(bed.knownHosts()).pin(target, sshd.hostKey());
        SshPool pool = bed.pool(); // 4 sessions per host allowed; sshd allows 2 channels per session
        List<RemoteChannel> channels = new ArrayList<>();
        List<ByteArrayOutputStream> outputs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            outputs.add(out);
            channels.add(pool.open(target, "read line; echo " + i, out, new ByteArrayOutputStream(),
                TestTimeouts.MEDIUM));
        }

        for (int i = 0; i < 6; i++) {
            channels.get(i).stdin().write("go\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals(0, channels.get(i).exit().get(TestTimeouts.MEDIUM.toMillis(), TimeUnit.MILLISECONDS)
                .exitCode());
            assertEquals(i + "\n", outputs.get(i).toString(StandardCharsets.US_ASCII));
        }
        assertTrue(pool.sessionCount(target) >= 3, "sessions=" + pool.sessionCount(target));
    }
}
