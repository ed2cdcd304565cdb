package dev.ffdispatch.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ffdispatch.TestTimeouts;
import dev.ffdispatch.metrics.DispatchMetrics;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WriteBehindTest {

    @Test
    void aWriteThatKeepsFailingHoldsUpOnlyItsOwnKeyAndRunsOnceItSucceeds() throws Exception {
        List<String> done = new CopyOnWriteArrayList<>();
        AtomicInteger attempts = new AtomicInteger();
        try (WriteBehind writes = new WriteBehind("test", DispatchMetrics.NOOP, Duration.ofMillis(5), Duration.ofMillis(20))) {
            writes.submit("a", "a1", () -> {
                if (attempts.incrementAndGet() < 5) {
                    throw new IllegalStateException("database is locked");
                }
                done.add("a1");
            });
            writes.submit("a", "a2", () -> done.add("a2"));
            writes.submit("b", "b1", () -> done.add("b1"));
            writes.submit("b", "b2", () -> done.add("b2"));
            long deadline = System.nanoTime() + TestTimeouts.SHORT.toNanos();
            while (writes.pending() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(0, writes.pending(), done.toString());
        }
        assertEquals(5, attempts.get());
        assertTrue(done.indexOf("b2") < done.indexOf("a1"), "b went on while a was failing: " + done);
        assertTrue(done.indexOf("a1") < done.indexOf("a2"), "a's writes in order: " + done);
        assertTrue(done.indexOf("b1") < done.indexOf("b2"), "b's writes in order: " + done);
    }

    @Test
    void backOffDoublesUpToTheCap() {
        try (WriteBehind writes = new WriteBehind("test", DispatchMetrics.NOOP, Duration.ofMillis(100), Duration.ofSeconds(30))) {
            assertEquals(Duration.ofMillis(100), writes.delay(1));
            assertEquals(Duration.ofMillis(800), writes.delay(4));
            assertEquals(Duration.ofSeconds(30), writes.delay(12));
            assertEquals(Duration.ofSeconds(30), writes.delay(Integer.MAX_VALUE));
        }
    }
}
