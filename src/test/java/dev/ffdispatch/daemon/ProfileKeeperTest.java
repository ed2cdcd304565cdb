package dev.ffdispatch.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ffdispatch.caps.LearnScript;
import dev.ffdispatch.caps.Needs;
import dev.ffdispatch.caps.ProbeAnswer;
import dev.ffdispatch.posix.JobExitCodes;
import dev.ffdispatch.protocol.Tool;
import dev.ffdispatch.ssh.BinaryIdentity;
import dev.ffdispatch.ssh.SshTarget;
import dev.ffdispatch.store.HostRecord;
import dev.ffdispatch.store.ProfileRecord;
import dev.ffdispatch.store.Store;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The keeper with a real SQLite store and small fake machines whose binary a test can change. */
class ProfileKeeperTest {
    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

    @TempDir
    Path dir;
    private Store store;
    private Instant now = T0;
    private final Clock clock = new Clock() {
        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };
    private final FakeMachine local = new FakeMachine("local:test", "local");
    private final FakeMachine worker = new FakeMachine(ProfileRecord.host(7), "w7");
    private final WorkerHost host = new WorkerHost(new HostRecord(7, "w7", "10.0.0.7", 22, "u", 1, null, null, null, List.of(),
        false, T0, null, null), new SshTarget("w7", "10.0.0.7", 22, "u"), null);

    /** A machine whose binary is a version number: each version prints its own listings. */
    static final class FakeMachine implements ProfileSource {
        final String machine;
        final String name;
        volatile int version = 1;
        volatile boolean reachable = true;
        final AtomicInteger identityChecks = new AtomicInteger();
        final AtomicInteger learns = new AtomicInteger();

        FakeMachine(String machine, String name) {
            this.machine = machine;
            this.name = name;
        }

        @Override
        public String machine() {
            return machine;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public BinaryIdentity identity(Tool tool) throws IOException {
            identityChecks.incrementAndGet();
            if (!reachable) {
                throw new IOException("connection refused");
            }
            return new BinaryIdentity("/usr/bin/" + tool.command(), 1000 + version, Instant.ofEpochSecond(version));
        }

        @Override
        public LearnScript.Learned learn(Tool tool) {
            learns.incrementAndGet();
            Map<String, ProbeAnswer> answers = new LinkedHashMap<>();
            answers.put("-version", answer("ffmpeg version " + version + ".0 Copyright\n"));
            answers.put("-encoders", answer("Encoders:\n V..... = Video\n ------\n V....D libx264              x264 (codec h264)\n"
                + (version == 1 ? "" : " V....D h264_vaapi           VAAPI (codec h264)\n")));
            answers.put("-decoders", answer("Decoders:\n ------\n V....D h264                 H.264\n"));
            answers.put("-filters", answer("Filters:\n ... scale             V->V       Scale.\n"));
            answers.put("-hwaccels", answer("Hardware acceleration methods:\nvaapi\n\n"));
            return new LearnScript.Learned(answers, tool == Tool.FFMPEG ? Set.of() : null);
        }

        static ProbeAnswer answer(String stdout) {
            return new ProbeAnswer(stdout.getBytes(StandardCharsets.UTF_8), "banner\n".getBytes(StandardCharsets.UTF_8), 0);
        }
    }

    @BeforeEach
    void open() {
        store = Store.open(dir.resolve("ffdispatch.db"));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private ProfileKeeper keeper() {
        ProfileKeeper keeper = new ProfileKeeper(new ProfileBook(store), Runnable::run, clock, local, h -> worker);
        keeper.start();
        return keeper;
    }

    private static String text(ProbeAnswer a) {
        return a == null ? null : new String(a.stdout(), StandardCharsets.UTF_8);
    }

    @Test
    void aWorkerIsLearnedOnceAndAnsweredFromItsProfile() {
        ProfileKeeper keeper = keeper();
        keeper.hostUp(host);
        assertEquals(2, worker.learns.get(), "ffmpeg and ffprobe");
        assertEquals("ffmpeg version 1.0 Copyright\n", text(keeper.answer(host, Tool.FFMPEG, "-version")));
        assertNull(keeper.answer(host, Tool.FFMPEG, "-h filter=scale"), "asked for the first time: it runs");
        assertTrue(keeper.settled(worker.machine));
        keeper.hostUp(host);
        assertEquals(2, worker.learns.get(), "the same binary is not learned again");
        assertTrue(keeper.canRun(host, Needs.of(List.of("-i".getBytes(), "x".getBytes(), "-c:v".getBytes(), "libx264".getBytes(),
            "o".getBytes()))));
    }

    @Test
    void answersAreCheckedAgainstTheBinaryOnceTheirCheckIsOlderThanTheFreshness() {
        ProfileKeeper keeper = keeper();
        keeper.hostUp(host);
        int checks = worker.identityChecks.get();
        keeper.answer(host, Tool.FFMPEG, "-version");
        assertEquals(checks, worker.identityChecks.get(), "checked a moment ago");
        now = now.plus(ProfileKeeper.ANSWER_FRESHNESS);
        worker.version = 2; // an upgrade
        assertNull(keeper.answer(host, Tool.FFMPEG, "-version"), "another binary: the old answer is not given");
        assertEquals(4, worker.learns.get(), "and it is learned again at once");
        assertEquals("ffmpeg version 2.0 Copyright\n", text(keeper.answer(host, Tool.FFMPEG, "-version")));
        now = now.plus(ProfileKeeper.ANSWER_FRESHNESS);
        worker.reachable = false;
        assertNull(keeper.answer(host, Tool.FFMPEG, "-version"), "a binary that cannot be checked is not answered for");
    }

    @Test
    void aRestartUsesTheStoredProfilesWithoutLearning() {
        ProfileKeeper first = keeper();
        first.hostUp(host);
        assertEquals(2, local.learns.get());
        assertEquals(2, worker.learns.get());
        ProfileKeeper second = keeper();
        assertNotNull(second.capabilities(host), "known from the store before any check");
        second.hostUp(host);
        assertEquals(2, local.learns.get(), "nothing learned again");
        assertEquals(2, worker.learns.get());
        assertEquals("ffmpeg version 1.0 Copyright\n", text(second.localAnswer(Tool.FFMPEG, "-version")));
    }

    /** {@code host relearn}: the stored profiles go, and the daemon learns them again when it sees that. */
    @Test
    void forgottenProfilesAreLearnedAgain() {
        ProfileKeeper keeper = keeper();
        keeper.hostUp(host);
        assertEquals(2, store.forgetProfiles(worker.machine), "ffmpeg and ffprobe");
        keeper.reload(List.of(host));
        assertEquals(4, worker.learns.get());
        assertEquals(2, local.learns.get(), "this machine's profiles were not forgotten");
        assertEquals("ffmpeg version 1.0 Copyright\n", text(keeper.answer(host, Tool.FFMPEG, "-version")));
    }

    @Test
    void aRunsAnswerJoinsTheProfileUnlessFfdispatchEndedTheRun() {
        ProfileKeeper keeper = keeper();
        keeper.hostUp(host);
        ProbeAnswer help = FakeMachine.answer("Filter scale\n");
        keeper.learnFromRun(host, Tool.FFMPEG, "-h filter=scale").accept(help);
        assertEquals(help, keeper.answer(host, Tool.FFMPEG, "-h filter=scale"));
        keeper.learnFromRun(host, Tool.FFMPEG, "-h filter=yadif").accept(new ProbeAnswer(new byte[0], new byte[0], JobExitCodes.WORKER_LOST));
        keeper.learnFromRun(host, Tool.FFMPEG, "-h bsf=x").accept(new ProbeAnswer(new byte[0], new byte[0], JobExitCodes.SIGNAL_BASE + 9));
        assertNull(keeper.answer(host, Tool.FFMPEG, "-h filter=yadif"));
        assertNull(keeper.answer(host, Tool.FFMPEG, "-h bsf=x"));
        ProfileKeeper restarted = keeper();
        restarted.hostUp(host);
        assertEquals(help, restarted.answer(host, Tool.FFMPEG, "-h filter=scale"), "kept in the store too");
    }

    @Test
    void aDeviceThatFailsItsTestKeepsItsEncodersFromCounting() {
        worker.version = 2; // lists h264_vaapi; the fake's device tests all fail
        ProfileKeeper keeper = keeper();
        keeper.hostUp(host);
        Needs vaapi = Needs.of(List.of("-i".getBytes(), "x".getBytes(), "-c:v".getBytes(), "h264_vaapi".getBytes(), "o".getBytes()));
        assertTrue(!keeper.canRun(host, vaapi));
        assertEquals(List.of("encoder h264_vaapi"), keeper.capabilities(host).missing(vaapi));
        assertEquals(List.of("vaapi"), keeper.capabilities(host).brokenHwaccels());
    }
}
