package dev.ffdispatch.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JellyfinProcessTest {
    @TempDir
    Path dir;

    @Test
    void findsTheNativeProgramAndDotnetRunningTheDllButNothingElse() throws Exception {
        FakeProc proc = new FakeProc(dir)
            .process(300, "dotnet", List.of("/usr/bin/dotnet", "/opt/jellyfin/jellyfin.dll", "--ffmpeg", "/opt/ffmpeg"), Map.of())
            .process(20, "jellyfin", List.of("/usr/lib/jellyfin/bin/jellyfin", "--ffmpeg=/usr/lib/jellyfin-ffmpeg/ffmpeg"),
                Map.of("TMPDIR", "/var/cache/jellyfin/temp"))
            .process(21, "dotnet", List.of("dotnet", "other.dll"), Map.of())
            .process(22, "ffmpeg", List.of("/usr/lib/jellyfin-ffmpeg/ffmpeg", "-i", "jellyfin.dll"), Map.of())
            .process(23, "bash", List.of("bash", "-c", "jellyfin"), Map.of());
        Files.createDirectories(dir.resolve("self"));
        List<JellyfinProcess> found = JellyfinProcess.find(proc.dir());
        assertEquals(List.of(20L, 300L), found.stream().map(JellyfinProcess::pid).toList());
        assertEquals("/var/cache/jellyfin/temp", found.get(0).variable("TMPDIR").orElseThrow());
        assertEquals("/opt/jellyfin/jellyfin.dll", found.get(1).program());
    }

    @Test
    void aScriptNamedJellyfinCountsByItsName() {
        assertTrue(JellyfinProcess.isJellyfin("jellyfin", List.of("/bin/sh", "/tmp/x/jellyfin", "--ffmpeg=/x")));
        assertTrue(JellyfinProcess.isJellyfin("jellyfin-server", List.of("/usr/bin/jellyfin")), "the program's name counts when comm differs");
        assertFalse(JellyfinProcess.isJellyfin("jellyfin-web", List.of("/usr/bin/node")));
    }

    @Test
    void optionsAsJellyfinsParserReadsThem() {
        JellyfinProcess p = new JellyfinProcess(1, List.of("/usr/bin/jellyfin", "--webdir=/usr/share/jellyfin/web",
            "--ffmpeg", "/usr/lib/jellyfin-ffmpeg/ffmpeg", "-c", "/etc/jellyfin", "--datadir=/var/lib/jellyfin"), Map.of());
        assertEquals(Optional.of("/usr/lib/jellyfin-ffmpeg/ffmpeg"), p.option("ffmpeg", null));
        assertEquals(Optional.of("/etc/jellyfin"), p.option("configdir", 'c'));
        assertEquals(Optional.of("/var/lib/jellyfin"), p.option("datadir", 'd'));
        assertEquals(Optional.empty(), p.option("cachedir", 'C'));
    }

    @Test
    void environmentNamesMatchWithoutRegardToCaseAndAnUnreadableOneIsNull() throws Exception {
        new FakeProc(dir).process(5, "jellyfin", List.of("/jellyfin/jellyfin"), Map.of("jellyfin_ffmpeg", "/x/ffmpeg"))
            .process(6, "jellyfin", List.of("/jellyfin/jellyfin"), null);
        List<JellyfinProcess> found = JellyfinProcess.find(dir);
        assertEquals(Optional.of("/x/ffmpeg"), found.get(0).variable("JELLYFIN_FFMPEG"));
        assertNull(found.get(1).environment());
        assertEquals(Optional.empty(), found.get(1).variable("JELLYFIN_FFMPEG"));
    }
}
