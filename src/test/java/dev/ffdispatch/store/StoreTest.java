package dev.ffdispatch.store;

import dev.ffdispatch.TestTimeouts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StoreTest {
    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

    @TempDir
    Path dir;
    private Path db;
    private Store store;

    @BeforeEach
    void open() {
        db = dir.resolve("sub/dir/ffdispatch.db");
        store = Store.open(db);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void opensWithWalAndLatestSchemaCreatingParents() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
            ResultSet mode = st.executeQuery("PRAGMA journal_mode");
            assertEquals("wal", mode.getString(1));
            ResultSet version = st.executeQuery("PRAGMA user_version");
            assertEquals(Schema.latest(), version.getInt(1));
        }
        Store.open(db).close();
        assertEquals(List.of(), store.hosts());
    }

    @Test
    void refusesASchemaNewerThanItKnows() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
            st.execute("PRAGMA user_version = 99");
        }
        StoreException e = assertThrows(StoreException.class, () -> Store.open(db));
        assertEquals(StoreException.Kind.INVALID, e.kind());
        assertTrue(e.getMessage().contains("schema version 99"), e.getMessage());
    }

    @Test
    void addAndReadHostsWithEveryField() {
        HostRecord a = store.addHost(new NewHost("gpu", "10.0.0.5", 2222, "ff", 4, 3, "/opt/ffmpeg", "/opt/ffprobe",
                List.of(new PathMap("/media", "/mnt/media"))));
        store.addHost(NewHost.of("worker2"));
        assertEquals("gpu", a.name());
        assertEquals(2222, a.port());
        assertEquals(3, a.maxJobs());
        assertEquals(List.of(new PathMap("/media", "/mnt/media")), a.mappings());
        assertTrue(a.enabled());
        assertEquals(List.of("gpu", "worker2"), store.hosts().stream().map(HostRecord::name).toList());
        HostRecord w2 = store.host("worker2").orElseThrow();
        assertNull(w2.maxJobs());
        assertNull(w2.user());
        assertEquals(a, store.host("gpu").orElseThrow());
        assertTrue(store.host("nope").isEmpty());
        assertEquals(a, store.requireHost("gpu"));
    }

    @Test
    void duplicateNameIsRefusedAndNothingChanges() {
        store.addHost(NewHost.of("w1"));
        long before = store.changeCounter();
        StoreException e = assertThrows(StoreException.class, () -> store.addHost(NewHost.of("w1")));
        assertEquals(StoreException.Kind.DUPLICATE, e.kind());
        assertTrue(e.getMessage().contains("host 'w1' already exists"), e.getMessage());
        assertEquals(before, store.changeCounter());
        assertEquals(1, store.hosts().size());
    }

    @Test
    void aHostCalledLocalFromBeforeTheNameWasReservedIsSetAsideWithTheFix() throws Exception {
        store.addHost(NewHost.of("w1"));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE hosts SET name = 'local' WHERE name = 'w1'");
        }
        HostRecord local = store.hosts().get(0);
        assertTrue(local.problem().contains("reserved for this machine") && local.problem().contains("host remove local"),
            local.problem());
        assertThrows(StoreException.class, () -> store.addHost(new NewHost("LOCAL", "w2", 22, null, 1, null, null, null,
            List.of())));
    }

    @Test
    void unknownHostListsTheKnownNames() {
        store.addHost(NewHost.of("b"));
        store.addHost(NewHost.of("a"));
        StoreException e = assertThrows(StoreException.class, () -> store.updateHost("c", HostChanges.weight(2)));
        assertEquals(StoreException.Kind.UNKNOWN, e.kind());
        assertEquals("host 'c' is not known; known hosts: a, b", e.getMessage());
        assertThrows(StoreException.class, () -> store.setDrained("c", true));
        assertEquals(e.getMessage(), assertThrows(StoreException.class, () -> store.requireHost("c")).getMessage());
        assertThrows(StoreException.class, () -> store.removeHost("c", true));
    }

    @Test
    void updateChangesOnlyWhatIsGivenAndClearsWithEmptyValues() {
        store.addHost(new NewHost("w", "w", 22, "ff", 2, 5, "/opt/ffmpeg", null, List.of(new PathMap("/a", "/b"))));
        HostRecord w = store.updateHost("w", HostChanges.weight(7));
        assertEquals(7, w.weight());
        assertEquals("ff", w.user());
        assertEquals(5, w.maxJobs());
        HostRecord cleared = store.updateHost("w", new HostChanges("10.1.1.1", 2200, "", null, 0, "", null, List.of()));
        assertEquals("10.1.1.1", cleared.address());
        assertEquals(2200, cleared.port());
        assertNull(cleared.user());
        assertNull(cleared.maxJobs());
        assertNull(cleared.ffmpeg());
        assertEquals(List.of(), cleared.mappings());
        assertEquals(7, cleared.weight());
    }

    @Test
    void changeCounterMovesOnEveryHostWriteSeenFromAnotherConnection() {
        try (Store other = Store.open(db)) {
            long c0 = other.changeCounter();
            store.addHost(NewHost.of("w"));
            long c1 = other.changeCounter();
            store.updateHost("w", HostChanges.weight(2));
            long c2 = other.changeCounter();
            store.setDrained("w", true);
            long c3 = other.changeCounter();
            store.removeHost("w", false);
            long c4 = other.changeCounter();
            assertTrue(c0 < c1 && c1 < c2 && c2 < c3 && c3 < c4, List.of(c0, c1, c2, c3, c4).toString());
            store.jobStarted("ffmpeg", "local", "ffmpeg -version", T0, "run1");
            assertEquals(c4, other.changeCounter(), "job writes do not look like host changes");
        }
    }

    @Test
    void drainAndEnable() {
        store.addHost(NewHost.of("w"));
        store.setDrained("w", true);
        assertFalse(store.host("w").orElseThrow().enabled());
        store.setDrained("w", false);
        assertTrue(store.host("w").orElseThrow().enabled());
    }

    @Test
    void removeRefusesHostsWithRunningJobsUnlessForced() {
        store.addHost(NewHost.of("w"));
        long job = store.jobStarted("ffmpeg", "w", "ffmpeg -i x", T0, "run1");
        StoreException e = assertThrows(StoreException.class, () -> store.removeHost("w", false));
        assertEquals(StoreException.Kind.IN_USE, e.kind());
        assertTrue(e.getMessage().contains("1 running job(s)"), e.getMessage());
        assertTrue(store.host("w").isPresent());
        store.removeHost("w", true);
        assertTrue(store.host("w").isEmpty());
        assertEquals(job, store.runningJobs().get(0).id(), "history stays");
    }

    @Test
    void jobLifecycle() {
        long a = store.jobStarted("ffmpeg", "w1", "ffmpeg -i a", T0, "run1");
        long b = store.jobStarted("ffprobe", "local", "ffprobe b", T0.plusSeconds(1), "run1");
        long c = store.jobStarted("ffmpeg", "w1", "ffmpeg -i c", T0.plusSeconds(2), "run1");
        assertNotEquals(a, b);
        store.jobPid(a, 4242);
        store.jobFinished(a, T0.plusSeconds(10), 0, JobState.OK, null);
        store.jobFinished(b, T0.plusSeconds(11), 1, JobState.FAILED, "no host up");
        assertEquals(List.of(c), store.runningJobs().stream().map(JobRecord::id).toList());
        store.markLost(c, T0.plusSeconds(20));
        assertEquals(List.of(), store.runningJobs());

        List<JobRecord> all = store.jobs(10, null, false);
        assertEquals(List.of(c, b, a), all.stream().map(JobRecord::id).toList());
        JobRecord ja = all.get(2);
        assertEquals(4242L, ja.pid());
        assertEquals(0, ja.exitCode());
        assertEquals(T0, ja.started());
        assertEquals(T0.plusSeconds(10), ja.ended());
        assertEquals("run1", ja.runId());
        JobRecord jc = all.get(0);
        assertEquals(JobState.LOST, jc.state());
        assertNull(jc.exitCode());
        assertEquals("no host up", all.get(1).fallbackReason());

        assertEquals(List.of(c, a), store.jobs(10, "w1", false).stream().map(JobRecord::id).toList());
        assertEquals(List.of(c, b), store.jobs(10, null, true).stream().map(JobRecord::id).toList());
        assertEquals(1, store.jobs(1, null, false).size());
        assertThrows(StoreException.class, () -> store.jobFinished(a, T0, 0, JobState.RUNNING, null));
    }

    @Test
    void hostEventsNewestFirst() {
        store.hostEvent("w1", null, "up", "first probe", T0);
        store.hostEvent("w1", "up", "down", "connect timed out after 5s", T0.plusSeconds(3));
        store.hostEvent("w2", null, "up", "first probe", T0.plusSeconds(4));
        List<HostEvent> w1 = store.hostEvents("w1", 10);
        assertEquals(List.of("down", "up"), w1.stream().map(HostEvent::to).toList());
        assertEquals("connect timed out after 5s", w1.get(0).reason());
        assertEquals(T0.plusSeconds(3), w1.get(0).at());
        assertNull(w1.get(1).from());
        assertEquals(3, store.hostEvents(null, 10).size());
        assertEquals(1, store.hostEvents(null, 1).size());
    }

    @Test
    void writerIsNotBlockedByALongReadTransactionElsewhere() throws Exception {
        store.addHost(NewHost.of("w"));
        try (Connection reader = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = reader.createStatement()) {
            st.execute("BEGIN");
            st.executeQuery("SELECT count(*) FROM hosts").close();
            store.updateHost("w", HostChanges.weight(9));
            st.execute("COMMIT");
        }
        assertEquals(9, store.host("w").orElseThrow().weight());
    }

    @Test
    void manyProcessesOpeningAFreshFileAtOnceMigrateItOnce() throws Exception {
        Path fresh = dir.resolve("fresh/ffdispatch.db");
        ExecutorService pool = Executors.newFixedThreadPool(12);
        try {
            List<Future<Long>> opened = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                opened.add(pool.submit(() -> {
                    try (Store s = Store.open(fresh)) {
                        return s.changeCounter();
                    }
                }));
            }
            for (Future<Long> f : opened) {
                assertEquals(0L, f.get(TestTimeouts.MEDIUM.toMillis(), TimeUnit.MILLISECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentWritersFromSeparateConnectionsAllSucceed() throws Exception {
        store.addHost(NewHost.of("shared"));
        int writers = 16;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> results = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                int n = i;
                results.add(pool.submit(() -> {
                    try (Store s = Store.open(db)) {
                        for (int k = 0; k < 5; k++) {
                            s.addHost(NewHost.of("w" + n + "-" + k));
                            s.updateHost("shared", HostChanges.weight(1 + n));
                            s.jobStarted("ffmpeg", "shared", "x", T0, "r");
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : results) {
                f.get(TestTimeouts.MEDIUM.toMillis(), TimeUnit.MILLISECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1 + writers * 5, store.hosts().size());
        assertEquals(writers * 5, store.runningJobs().size());
        assertEquals(1 + writers * 5 * 2, store.changeCounter());
    }

    @Test
    void theDatabaseAndItsWalAndShmFilesAreNotReadableByOthers() throws Exception {
        store.jobStarted("ffmpeg", "w1", "ffmpeg -i /media/secret.mkv", T0, "run"); // WAL and shm now exist
        for (String suffix : new String[] {"", "-wal", "-shm"}) {
            Path file = db.resolveSibling(db.getFileName() + suffix);
            String mode = java.nio.file.attribute.PosixFilePermissions.toString(java.nio.file.Files.getPosixFilePermissions(file));
            assertEquals("rw-r-----", mode, file.toString());
        }
    }

    @Test
    void anExistingWorldReadableDatabaseIsTightenedWhenOpened() throws Exception {
        store.close();
        java.nio.file.Files.setPosixFilePermissions(db, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        store = Store.open(db);
        assertEquals("rw-r-----", java.nio.file.attribute.PosixFilePermissions.toString(
            java.nio.file.Files.getPosixFilePermissions(db)));
    }
}
