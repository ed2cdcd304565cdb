package dev.ffdispatch.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ffdispatch.store.JobRecord;
import dev.ffdispatch.store.JobState;
import dev.ffdispatch.store.Store;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The daemon prunes job history older than {@code jobs.retention}; nothing younger, nothing running. */
class JobRetentionIT extends DaemonItBase {
    @Test
    void endedJobsOlderThanTheRetentionArePrunedAtStartAndTheRestIsKept() throws Exception {
        harness = new DaemonHarness(home, Map.of("FFDISPATCH_JOBS_RETENTION", "7d"));
        Instant now = Instant.now();
        try (Store store = Store.open(harness.config.state())) {
            long old = store.jobStarted("ffmpeg", "w1", "ffmpeg -i old.mkv", now.minus(Duration.ofDays(9)), "earlier");
            store.jobFinished(old, now.minus(Duration.ofDays(8)), 0, JobState.OK, null);
            long recent = store.jobStarted("ffmpeg", "w1", "ffmpeg -i recent.mkv", now.minus(Duration.ofDays(6)), "earlier");
            store.jobFinished(recent, now.minus(Duration.ofDays(6)), 0, JobState.OK, null);
            store.hostEvent("w1", "up", "down", "old", now.minus(Duration.ofDays(10)));
            store.hostEvent("w1", "down", "up", "recent", now.minus(Duration.ofDays(1)));
        }
        harness.start();
        List<String> commands = harness.daemon().store().jobs(100, null, false).stream()
            .map(JobRecord::command).sorted().collect(Collectors.toList());
        assertEquals(List.of("ffmpeg -i recent.mkv"), commands);
        assertEquals(List.of("recent"), harness.daemon().store().hostEvents(null, 100).stream()
            .map(e -> e.reason()).collect(Collectors.toList()));
    }
}
