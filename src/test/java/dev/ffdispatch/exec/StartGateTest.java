package dev.ffdispatch.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import dev.ffdispatch.TestTimeouts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class StartGateTest {
    private final ByteArrayOutputStream sink = new ByteArrayOutputStream();
    private final StartGate gate = new StartGate(sink);

    @Test
    void holdsUntilOpenThenReleasesInOrderAndPassesThrough() throws IOException {
        gate.write(bytes("banner\n"));
        assertEquals(0, sink.size());
        gate.open();
        assertEquals("banner\n", sink.toString(StandardCharsets.UTF_8));
        gate.write(bytes("frame=1"));
        assertEquals("banner\nframe=1", sink.toString(StandardCharsets.UTF_8));
    }

    @Test
    void discardReturnsTheHeldTextAndDropsTheRest() throws IOException {
        gate.write(bytes("sh: cd: can't cd to /x\n"));
        assertEquals("sh: cd: can't cd to /x\n", gate.discard());
        gate.write(bytes("late"));
        assertEquals(0, sink.size());
    }

    @Test
    void openAfterDiscardStaysClosed() throws IOException {
        gate.discard();
        gate.open();
        gate.write(bytes("x"));
        assertEquals(0, sink.size());
    }

    @Test
    void aWriterOverTheLimitWaitsForTheOpeningAndLosesNothing() throws Exception {
        gate.write(new byte[StartGate.HELD_LIMIT]);
        CompletableFuture<Void> blocked = CompletableFuture.runAsync(() -> {
            try {
                gate.write(bytes("more"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        assertThrows(TimeoutException.class, () -> blocked.get(50, TimeUnit.MILLISECONDS));
        gate.open();
        blocked.get(TestTimeouts.SHORT.toMillis(), TimeUnit.MILLISECONDS);
        assertEquals(StartGate.HELD_LIMIT + 4, sink.size());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
