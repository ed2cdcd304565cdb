package dev.ffdispatch.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ffdispatch.TestTimeouts;
import dev.ffdispatch.metrics.PrometheusMetrics;
import dev.ffdispatch.metrics.PromText;
import dev.ffdispatch.protocol.Tool;
import dev.ffdispatch.store.JobRecord;
import dev.ffdispatch.store.JobState;
import dev.ffdispatch.store.Store;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Job history survives a database that is locked for longer than the busy timeout. */
class JobLedgerTest {
    /** Short, so the test's lock outlasts several write attempts. */
    private static final Duration BUSY = Duration.ofMillis(200);

    @TempDir
    Path dir;

    @Test
    void aWriteFailedWhileTheDatabaseWasLockedIsRetriedAndLaterJobsAreStillRecorded() throws Exception {
        Path db = dir.resolve("state.db");
        try (Store store = Store.open(db, BUSY); PrometheusMetrics metrics = new PrometheusMetrics();
             JobLedger ledger = new JobLedger(store, Clock.systemUTC(), "run-1", "server-1", metrics)) {
            LiveJob first;
            try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + db);
                 Statement st = other.createStatement()) {
                // Another process holds the write lock for several busy timeouts, as in the review (13 s > 10 s).
                st.execute("BEGIN EXCLUSIVE");
                first = ledger.begin(Tool.FFMPEG, "w1", "ffmpeg -i /media/a.mkv", null);
                ledger.pid(first, 4242);
                waitFor(() -> PromText.value(metrics.scrape(), "ffdispatch_ledger_write_failures_total") >= 2,
                    "two failed attempts while the database is locked");
                st.execute("ROLLBACK");
            }
            LiveJob second = ledger.begin(Tool.FFPROBE, "w2", "ffprobe /media/b.mkv", null);
            ledger.end(second, 0, JobState.OK);
            ledger.end(first, 1, JobState.FAILED);

            waitFor(() -> store.jobs(10, null, false).stream().filter(j -> j.ended() != null).count() == 2,
                "both jobs recorded as ended; rows now: " + store.jobs(10, null, false));
            List<JobRecord> rows = store.jobs(10, null, false);
            JobRecord firstRow = rows.stream().filter(j -> j.host().equals("w1")).findFirst().orElseThrow();
            assertEquals(4242L, firstRow.pid(), rows.toString());
            assertEquals(JobState.FAILED, firstRow.state(), rows.toString());
            assertEquals(first.id(), firstRow.id(), "the live job learned its store id");
            String scrape = metrics.scrape();
            assertTrue(PromText.value(scrape, "ffdispatch_ledger_write_failures_total") >= 1, scrape);
            assertEquals(0.0, PromText.value(scrape, "ffdispatch_ledger_writes_pending"), scrape);
        }
    }

    private static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TestTimeouts.SHORT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + TestTimeouts.SHORT.toMillis() + " ms: " + what);
            }
            Thread.sleep(20);
        }
    }
}
