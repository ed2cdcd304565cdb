package dev.ffdispatch.cli;

import dev.ffdispatch.daemon.Daemon;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogSetupTest {
    private static final Logger log = LoggerFactory.getLogger(LogSetupTest.class);

    @TempDir
    Path dir;

    @AfterEach
    void back() {
        MDC.clear();
        LogSetup.apply("info", null);
    }

    @Test
    void writesToTheFileAtTheLevel() throws IOException {
        Path file = dir.resolve("ffdispatch.log");
        LogSetup.apply("info", file);
        log.debug("hidden(x={})", 1);
        log.info("shown(x={})", 2);
        String text = Files.readString(file);
        assertTrue(text.contains("INFO  [main] LogSetupTest - shown(x=2)") || text.contains("shown(x=2)"), text);
        assertFalse(text.contains("hidden"), text);
    }

    /** Lines logged for a job carry its number and host; other lines carry no empty tag. */
    @Test
    void jobLinesAreTaggedAndOthersAreNot() throws IOException {
        Path file = dir.resolve("ffdispatch.log");
        LogSetup.apply("info", file);
        log.info("plain line");
        MDC.put(Daemon.MDC_JOB, "12");
        MDC.put(Daemon.MDC_HOST, "w1");
        log.info("job line");
        MDC.clear();
        String text = Files.readString(file);
        assertTrue(text.contains("LogSetupTest: plain line"), text);
        assertTrue(text.contains("LogSetupTest: [job=12 host=w1] job line"), text);
    }
}
