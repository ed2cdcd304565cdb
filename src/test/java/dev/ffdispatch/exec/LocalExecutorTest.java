package dev.ffdispatch.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.ffdispatch.TestTimeouts;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalExecutorTest extends ExecutorContract {

    @Override
    Executor executor() {
        return new LocalExecutor(scheduler, TestTimeouts.SHORT);
    }

    @Test
    void keepsTheDaemonsEnvironmentBesideTheJobs() throws Exception {
        RunningJob job = start("/bin/sh", List.of("-c", "printf '%s|%s' \"$FFD_TEST\" \"$PATH\""), "", Map.of("FFD_TEST", "1"));
        assertEquals(0, exitOf(job));
        assertEquals("1|" + System.getenv("PATH"), stdout.text());
    }

    @Test
    void cancelAfterTheExitDoesNothing() throws Exception {
        RunningJob job = sh("exit 3");
        assertEquals(3, exitOf(job));
        job.cancel(Duration.ZERO);
        assertFalse(ProcessHandle.of(job.pid()).map(ProcessHandle::isAlive).orElse(false));
    }
}
