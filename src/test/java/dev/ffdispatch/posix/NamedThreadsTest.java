package dev.ffdispatch.posix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ThreadFactory;
import org.junit.jupiter.api.Test;

class NamedThreadsTest {
    @Test
    void aFactoryNumbersItsDaemonThreads() {
        ThreadFactory factory = NamedThreads.factory("probe");
        Thread first = factory.newThread(() -> { });
        Thread second = factory.newThread(() -> { });
        assertEquals("probe-1", first.getName());
        assertEquals("probe-2", second.getName());
        assertTrue(first.isDaemon() && second.isDaemon());
        assertFalse(first.isAlive());
    }

    @Test
    void startRunsTheBodyOnANamedDaemonThread() throws InterruptedException {
        String[] seen = new String[1];
        Thread thread = NamedThreads.start("socket-acceptor", () -> seen[0] = Thread.currentThread().getName());
        thread.join();
        assertTrue(thread.isDaemon());
        assertEquals("socket-acceptor", seen[0]);
    }
}
