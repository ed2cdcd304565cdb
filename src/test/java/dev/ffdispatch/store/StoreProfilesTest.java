package dev.ffdispatch.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ffdispatch.caps.ProbeAnswer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Capability profiles and routing rules in a real SQLite file. */
class StoreProfilesTest {
    private static final Instant MTIME = Instant.ofEpochSecond(1_700_000_000L);
    private static final Instant LEARNED = Instant.parse("2026-01-01T10:00:00.123Z");
    /** Bytes that are not UTF-8, a NUL and no final newline: answers are kept byte for byte. */
    private static final ProbeAnswer BINARY = new ProbeAnswer(new byte[] {'v', 0, (byte) 0xff, (byte) 0xc3}, new byte[] {'\r'}, 0);

    @TempDir
    Path dir;
    private Store store;

    @BeforeEach
    void open() {
        store = Store.open(dir.resolve("ffdispatch.db"));
    }

    @AfterEach
    void close() {
        store.close();
    }

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
