package dev.ffdispatch.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo end to end (in-process workers, daemon, real shim launcher, real ffmpeg), with the
 * system's ffmpeg and as on a machine that has none: then it fetches the static build from Maven
 * Central with Maven (from the local repository once fetched, like any dependency).
 */
class DemoIT {
    @TempDir
    Path dir;

    @Test
    void runsWithTheSystemFfmpeg() throws Exception {
        Demo.Report report = new Demo(dir.resolve("home"), 3, System.getenv()).run();

        assertTrue(report.ok(), report.toString());
        assertEquals(Map.of("worker-a", 2, "worker-b", 1), report.placement(), report.toString());
    }

    @Test
    void fetchesAStaticFfmpegWhenThereIsNone() throws Exception {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("PATH", dir.resolve("empty-path").toString()); // no ffmpeg to find on it
        env.put("XDG_CACHE_HOME", dir.resolve("cache").toString());
        Path cached = dir.resolve("cache/ffdispatch/ffmpeg-static-" + StaticFfmpeg.VERSION + "/ffmpeg");

        Demo.Report report = new Demo(dir.resolve("home"), 2, env).run();

        assertEquals(cached.toString(), report.ffmpeg());
        assertTrue(report.ok(), report.toString());
        assertTrue(report.jobs().stream().allMatch(Demo.JobResult::outputOk), report.toString());
        assertTrue(Files.isExecutable(cached.resolveSibling("bin").resolve("ffmpeg")));
    }
}
