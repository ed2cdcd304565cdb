package dev.ffdispatch.store;

import dev.ffdispatch.TestTimeouts;
import dev.ffdispatch.caps.ProbeAnswer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

/**
 * What the store does whatever the engine: StoreTest runs it on a SQLite file, PostgresStoreIT
 * on a real PostgreSQL server. {@link #openAnother()} is another connection to the same state,
 * as another process (the CLI, or another server) has.
 */
abstract class StoreContract {
    static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

    Store store;

    /** The state under test, empty. */
    abstract Store openFirst() throws Exception;

    /** Another store on the same state. */
    abstract Store openAnother();

    /** Opens a new, empty state (each call of the result: another process opening it). */
    abstract java.util.concurrent.Callable<Store> freshState(String name) throws Exception;

    @BeforeEach
    void openStore() throws Exception {
        store = openFirst();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void addAndReadHostsWithEveryField() {
        HostRecord a = store.addHost(new NewHost("gpu", "10.0.0.5", 2222, "ff", 4, 3, "/opt/ffmpeg", "/opt/ffprobe",
                List.of(new PathMap("/media", "/mnt/media")), new WakeOnLan("00-11-22-AA-BB-CC", "192.168.1.255:9")));
        store.addHost(NewHost.of("worker2"));
        assertEquals("gpu", a.name());
        assertEquals("ff", a.user());
        assertEquals(2222, a.port());
        assertEquals(3, a.maxJobs());
        assertEquals(List.of(new PathMap("/media", "/mnt/media")), a.mappings());
        assertEquals(new WakeOnLan("00:11:22:aa:bb:cc", "192.168.1.255:9"), a.wake());
        assertTrue(a.enabled());
        assertEquals(List.of("gpu", "worker2"), store.hosts().stream().map(HostRecord::name).toList());
        HostRecord w2 = store.host("worker2").orElseThrow();
        assertNull(w2.maxJobs());
        assertNull(w2.user());
        assertNull(w2.wake());
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
        WakeOnLan wake = new WakeOnLan("00:11:22:33:44:55", null);
        store.addHost(new NewHost("w", "w", 22, "ff", 2, 5, "/opt/ffmpeg", null, List.of(new PathMap("/a", "/b")), wake));
        HostRecord w = store.updateHost("w", HostChanges.weight(7));
        assertEquals(7, w.weight());
        assertEquals("ff", w.user());
        assertEquals(5, w.maxJobs());
        assertEquals(wake, w.wake());
        assertEquals(WakeOnLan.DEFAULT_TO, w.wake().to());
        WakeOnLan moved = new WakeOnLan("00:11:22:33:44:66", "[fd00::ff]:7");
        assertEquals(moved, store.updateHost("w", new HostChanges(null, null, null, null, null, null, null, null, moved)).wake());
        HostRecord cleared = store.updateHost("w", new HostChanges("10.1.1.1", 2200, "", null, 0, "", null, List.of(),
                HostChanges.NO_WAKE));
        assertNull(cleared.wake());
        try (Store other = openAnother()) {
            assertEquals(cleared, other.requireHost("w"));
        }
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
        try (Store other = openAnother()) {
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
    void concurrentWritersFromSeparateConnectionsAllSucceed() throws Exception {
        store.addHost(NewHost.of("shared"));
        int writers = 16;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> results = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                int n = i;
                results.add(pool.submit(() -> {
                    try (Store s = openAnother()) {
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
    void manyProcessesOpeningAnEmptyStateAtOnceMigrateItOnce() throws Exception {
        java.util.concurrent.Callable<Store> open = freshState("fresh");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Long>> opened = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                opened.add(pool.submit(() -> {
                    try (Store s = open.call()) {
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
    void aPinnedKeyReplacesTheOldLineOfItsHostAndKeepsRevokedOnes() {
        store.pinKnownHost("[10.0.0.5]:2222", "[10.0.0.5]:2222 ssh-ed25519 AAAAold");
        store.pinKnownHost("w2", "w2 ssh-ed25519 AAAAw2");
        try (Store other = openAnother()) {
            other.pinKnownHost("[10.0.0.5]:2222", "@revoked [10.0.0.5]:2222 ssh-ed25519 AAAAbad");
        }
        store.pinKnownHost("[10.0.0.5]:2222", "[10.0.0.5]:2222 ssh-ed25519 AAAAnew");
        assertEquals(List.of("w2 ssh-ed25519 AAAAw2", "@revoked [10.0.0.5]:2222 ssh-ed25519 AAAAbad",
            "[10.0.0.5]:2222 ssh-ed25519 AAAAnew"), store.knownHostLines());
    }

    @Test
    void jobsRecordTheServerThatRanThemAndOrphansAreOnlyThoseOfThisServer() {
        long mineOld = store.jobStarted("ffmpeg", "w1", "a", T0, "run-old", "jf1");
        store.jobStarted("ffmpeg", "w1", "b", T0, "run-now", "jf1");
        store.jobStarted("ffmpeg", "w1", "c", T0, "run-x", "jf2");
        long legacy = store.jobStarted("ffmpeg", "local", "d", T0, "run-01");
        assertEquals("jf2", store.jobs(10, null, false).stream().filter(j -> j.command().equals("c")).findFirst()
            .orElseThrow().server());
        assertEquals(List.of(mineOld, legacy), store.orphanedJobs("run-now", "jf1").stream().map(JobRecord::id).toList());
        assertEquals(3, store.orphanedJobs("run-now", null).size(), "one server: every earlier run is its own");
    }

    @Test
    void historyOlderThanTheCutoffIsPrunedRunningJobsStay() {
        long old = store.jobStarted("ffmpeg", "w", "old", T0, "r", "s");
        store.jobFinished(old, T0.plusSeconds(1), 0, JobState.OK, null);
        long running = store.jobStarted("ffmpeg", "w", "running", T0, "r", "s");
        long recent = store.jobStarted("ffmpeg", "w", "recent", T0.plus(Duration.ofDays(2)), "r", "s");
        store.jobFinished(recent, T0.plus(Duration.ofDays(2)), 0, JobState.OK, null);
        store.hostEvent("w", null, "up", "first", T0);
        assertEquals(2, store.pruneHistory(T0.plus(Duration.ofDays(1))));
        assertEquals(List.of(recent, running), store.jobs(10, null, false).stream().map(JobRecord::id).toList());
    }

    private static final Instant MTIME = Instant.ofEpochSecond(1_700_000_000L);
    private static final Instant LEARNED = Instant.parse("2026-01-01T10:00:00.123Z");
    /** Bytes that are not UTF-8, a NUL and no final newline: answers are kept byte for byte. */
    private static final ProbeAnswer BINARY = new ProbeAnswer(new byte[] {'v', 0, (byte) 0xff, (byte) 0xc3}, new byte[] {'\r'}, 0);

    // ---- capability profiles and routing rules ----

    private static ProfileRecord profile(String machine, long size, Map<String, ProbeAnswer> answers, Set<String> hw) {
        return new ProfileRecord(machine, "ffmpeg", "/usr/bin/ffmpeg", size, MTIME, LEARNED, hw, answers);
    }

    @Test
    void aProfileIsStoredByteExactAndReplacedWhole() {
        store.saveProfile(profile("host:1", 10, Map.of("-version", BINARY, "-hwaccels", new ProbeAnswer(new byte[0], new byte[0], 1)),
            Set.of("vulkan", "cuda")));
        store.saveProfile(profile("local:s", 20, Map.of(), null));
        ProfileRecord read = store.profiles("host:1").get(0);
        assertEquals(BINARY, read.answers().get("-version"));
        assertEquals(1, read.answers().get("-hwaccels").exitCode());
        assertEquals(Set.of("vulkan", "cuda"), read.workingHwaccels());
        assertEquals(MTIME, read.modified());
        assertEquals(LEARNED, read.learned());
        assertNull(store.profiles("local:s").get(0).workingHwaccels(), "not tested is not the same as none working");
        assertEquals(2, store.profiles().size());
        store.saveProfile(profile("host:1", 11, Map.of("-filters", BINARY), Set.of()));
        ProfileRecord again = store.profiles("host:1").get(0);
        assertEquals(Set.of("-filters"), again.answers().keySet(), "the old binary's answers are gone");
        assertEquals(Set.of(), again.workingHwaccels());
    }

    @Test
    void anAnswerAskedLaterJoinsItsBinarysProfileOrStartsANewOne() {
        store.saveProfile(profile("host:1", 10, Map.of("-version", BINARY), null));
        store.addProbeAnswer(profile("host:1", 10, Map.of(), null), "-h filter=scale", BINARY);
        assertEquals(Set.of("-version", "-h filter=scale"), store.profiles("host:1").get(0).answers().keySet());
        store.addProbeAnswer(profile("host:1", 99, Map.of(), null), "-h bsf=x", BINARY);
        ProfileRecord replaced = store.profiles("host:1").get(0);
        assertEquals(99, replaced.size());
        assertEquals(Set.of("-h bsf=x"), replaced.answers().keySet());
    }

    @Test
    void forgettingAndRemovingAHostDeleteItsProfiles() {
        HostRecord w1 = store.addHost(NewHost.of("w1.lan"));
        store.saveProfile(profile(ProfileRecord.host(w1.id()), 10, Map.of("-version", BINARY), null));
        store.saveProfile(profile("local:s", 10, Map.of("-version", BINARY), null));
        long before = store.profilesCounter();
        assertEquals(1, store.forgetProfiles("local:s"));
        assertTrue(store.profilesCounter() > before);
        assertEquals(List.of(), store.profiles("local:s"));
        store.removeHost("w1.lan", false);
        assertEquals(List.of(), store.profiles());
    }

    @Test
    void routesAreKeptInOrderAndCheckedWhenAdded() {
        store.addHost(NewHost.of("gpu1"));
        store.addHost(NewHost.of("gpu2"));
        long counter = store.routesCounter();
        RouteRecord nvenc = store.addRoute("-c:v h264_nvenc", List.of("gpu1", "gpu2"));
        RouteRecord local = store.addRoute("^-i file:/media/small/", List.of("local"));
        assertTrue(store.routesCounter() > counter);
        assertEquals(List.of(nvenc, local), store.routes());
        StoreException unknown = assertThrows(StoreException.class, () -> store.addRoute("x", List.of("gpu3")));
        assertTrue(unknown.getMessage().contains("gpu1, gpu2"), unknown.getMessage());
        StoreException bad = assertThrows(StoreException.class, () -> store.addRoute("-c:v (", List.of("gpu1")));
        assertTrue(bad.getMessage().contains("not a regular expression"), bad.getMessage());
        assertThrows(StoreException.class, () -> store.addRoute("x", List.of()));
        StoreException named = assertThrows(StoreException.class, () -> store.removeHost("gpu1", false));
        assertEquals(StoreException.Kind.IN_USE, named.kind());
        assertTrue(named.getMessage().contains("route remove"), named.getMessage());
        store.removeRoute(nvenc.id());
        store.removeHost("gpu1", false);
        assertEquals(List.of(local), store.routes());
        StoreException none = assertThrows(StoreException.class, () -> store.removeRoute(nvenc.id()));
        assertTrue(none.getMessage().contains("[" + local.id() + "]"), none.getMessage());
    }
}
