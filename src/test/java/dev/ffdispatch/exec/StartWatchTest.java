package dev.ffdispatch.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class StartWatchTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final StartWatch watch = new StartWatch(new JobSink(out, err));
    private final CompletableFuture<Integer> ended = new CompletableFuture<>();

    @Test
    void releasesHeldOutputOnceThePidIsKnown() throws Exception {
        watch.stdout().write(bytes("early stdout"));
        watch.stderr().write(bytes("banner\n"));
        assertEquals(0, out.size() + err.size());
        watch.stderr().write(bytes("ffdispatch-pid 42\nframe="));
        assertEquals("early stdout", out.toString(StandardCharsets.UTF_8));
        assertEquals(42L, watch.awaitPid(ended, Duration.ofSeconds(1), "host a"));
        assertEquals("early stdout", out.toString(StandardCharsets.UTF_8));
        assertEquals("banner\nframe=", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void endingWithoutPidIsNotStartedWithTheShellsWords() throws IOException {
        watch.stderr().write(bytes("sh: 1: cd: can't cd to /gone\n"));
        ended.complete(RemoteCommand.CD_FAILED);
        NotStartedException e = assertThrows(NotStartedException.class, () -> watch.awaitPid(ended, Duration.ofSeconds(1), "host a"));
        assertTrue(e.getMessage().contains("can't cd to /gone") && e.getMessage().contains("host a")
            && e.getMessage().contains("working directory"), e.getMessage());
        assertEquals(0, out.size() + err.size());
    }

    @Test
    void noPidInTimeIsNotStartedAndALatePidChangesNothing() throws IOException {
        NotStartedException e = assertThrows(NotStartedException.class, () -> watch.awaitPid(ended, Duration.ofMillis(1), "host a"));
        assertTrue(e.getMessage().contains("within PT0.001S"), e.getMessage());
        watch.stdout().write(bytes("late"));
        watch.stderr().write(bytes("ffdispatch-pid 42\nlate"));
        assertEquals(42L, watch.pid().getNow(null));
        assertEquals(0, out.size() + err.size());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
