package dev.ffdispatch.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HostRulesTest {
    @ParameterizedTest
    @ValueSource(strings = {"worker1", "worker1.lan", "gpu-box.example.com", "192.168.1.20", "fe80::1", "::1", "host."})
    void acceptsHostNamesAndAddresses(String address) {
        assertEquals(address, HostRules.address(address));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-bad", "a..b", "under_score", "256.1.1.1", "a b", "x;rm -rf /", "[::1]"})
    void rejectsMalformedAddressesNamingThem(String address) {
        StoreException e = assertThrows(StoreException.class, () -> HostRules.address(address));
        assertEquals(StoreException.Kind.INVALID, e.kind());
        assertTrue(e.getMessage().contains("address"), e.getMessage());
    }

    @Test
    void userAtHostAndHostPortPointToTheRightOption() {
        assertTrue(assertThrows(StoreException.class, () -> HostRules.address("ff@worker1")).getMessage().contains("--user"));
        assertTrue(assertThrows(StoreException.class, () -> HostRules.address("worker1:2222")).getMessage().contains("--port"));
    }

    @Test
    void weightIsBetweenOneAndAThousand() {
        HostRules.weight(1);
        HostRules.weight(1000);
        for (int bad : new int[] {0, -1, 1001, Integer.MAX_VALUE}) {
            StoreException e = assertThrows(StoreException.class, () -> HostRules.weight(bad));
            assertTrue(e.getMessage().startsWith("weight " + bad + " is out of range; accepted: 1..1000"), e.getMessage());
        }
    }

    @Test
    void portUserMaxJobsAndPrograms() {
        assertThrows(StoreException.class, () -> HostRules.port(0));
        assertThrows(StoreException.class, () -> HostRules.port(65536));
        assertThrows(StoreException.class, () -> HostRules.user("a b"));
        assertThrows(StoreException.class, () -> HostRules.maxJobs(0));
        assertEquals("/usr/lib/jellyfin-ffmpeg/ffmpeg", HostRules.program("ffmpeg", "/usr/lib/jellyfin-ffmpeg/ffmpeg"));
        assertEquals("ffmpeg7", HostRules.program("ffmpeg", "ffmpeg7"));
        assertThrows(StoreException.class, () -> HostRules.program("ffmpeg", "bin/ffmpeg"));
        assertThrows(StoreException.class, () -> HostRules.program("ffprobe", "/x\n/y"));
    }

    @Test
    void mappingsMapEachLocalPrefixOnce() {
        PathMap a = new PathMap("/media", "/mnt/a");
        PathMap b = new PathMap("/media/", "/mnt/b");
        assertThrows(StoreException.class, () -> HostRules.mappings(List.of(a, b)));
        assertEquals(List.of(a), HostRules.mappings(List.of(a)));
    }
}
