package dev.ffdispatch.posix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalProgramsTest {
    @TempDir
    Path dir;

    private Path executable(Path path) throws IOException {
        Files.createDirectories(path.getParent());
        Files.writeString(path, "#!/bin/sh\nexit 0\n");
        path.toFile().setExecutable(true);
        return path;
    }

    @Test
    void theEnvironmentVariableWinsAsGiven() {
        Map<String, String> env = Map.of("FFDISPATCH_LOCAL_FFPROBE", "/opt/x/ffprobe", "PATH", "/usr/bin");
        assertEquals("/opt/x/ffprobe", LocalPrograms.find("ffprobe", env, "ffprobe", dir.resolve("jf")));
    }

    @Test
    void jellyfinsFfmpegComesBeforePath() throws IOException {
        Path jellyfin = executable(dir.resolve("jf/ffmpeg"));
        executable(dir.resolve("bin/ffmpeg"));
        Map<String, String> env = Map.of("PATH", dir.resolve("bin").toString());
        assertEquals(jellyfin.toString(), LocalPrograms.find("ffmpeg", env, "ffmpeg", dir.resolve("jf")));
    }

    @Test
    void skipsEverythingThatResolvesIntoTheShimsDirectory() throws IOException {
        Path shimDir = dir.resolve("shim");
        Path launcher = executable(shimDir.resolve("ffdispatch-shim"));
        Files.createDirectories(dir.resolve("usr-local"));
        Files.createSymbolicLink(dir.resolve("usr-local/ffmpeg"), launcher);
        Files.createSymbolicLink(shimDir.resolve("ffmpeg"), launcher.getFileName());
        Path real = executable(dir.resolve("usr/ffmpeg"));
        Map<String, String> env = Map.of("PATH", shimDir + ":" + dir.resolve("usr-local") + ":" + dir.resolve("usr"),
            LocalPrograms.SHIM_DIR_ENV, shimDir.toString());
        assertEquals(real.toString(), LocalPrograms.find("ffmpeg", env, "ffmpeg", dir.resolve("jf")));
    }

    @Test
    void skipsTheProgramArgv0NamesEvenWithoutTheShimDirectory() throws IOException {
        Path copy = executable(dir.resolve("a/ffmpeg"));
        Map<String, String> env = Map.of("PATH", dir.resolve("a").toString());
        assertNull(LocalPrograms.find("ffmpeg", env, copy.toString(), dir.resolve("jf")));
    }

    @Test
    void skipsDirectoriesAndNonExecutables() throws IOException {
        Files.createDirectories(dir.resolve("a/ffprobe"));
        Files.createDirectories(dir.resolve("b"));
        Files.writeString(dir.resolve("b/ffprobe"), "not executable");
        Map<String, String> env = Map.of("PATH", dir.resolve("a") + ":" + dir.resolve("b"));
        assertNull(LocalPrograms.find("ffprobe", env, "ffprobe", dir.resolve("jf")));
    }

    @Test
    void namesTheVariablePerTool() {
        assertEquals("FFDISPATCH_LOCAL_FFMPEG", LocalPrograms.envName("ffmpeg"));
        assertEquals("FFDISPATCH_LOCAL_FFPROBE", LocalPrograms.envName("ffprobe"));
    }
}
