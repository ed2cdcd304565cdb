package dev.ffdispatch.daemon;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** Lines logged for a job carry its number and host; other lines carry no empty tag. */
class JobLogTagTest {
    private static final Logger LOG = LoggerFactory.getLogger(JobLogTagTest.class);

    @TempDir
    Path dir;

    @AfterEach
    void back() {
        MDC.clear();
        LogSetup.apply("info", null);
    }

    @Test
    void jobLinesAreTaggedAndOthersAreNot() throws IOException {
        Path file = dir.resolve("ffdispatch.log");
        LogSetup.apply("info", file);
        LOG.info("plain line");
        MDC.put(JobSession.MDC_JOB, "12");
        MDC.put(JobSession.MDC_HOST, "w1");
        LOG.info("job line");
        MDC.clear();
        String text = Files.readString(file);
        assertTrue(text.contains("JobLogTagTest: plain line"), text);
        assertTrue(text.contains("JobLogTagTest: [job=12 host=w1] job line"), text);
    }
}
