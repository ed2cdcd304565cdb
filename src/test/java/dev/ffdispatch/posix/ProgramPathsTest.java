package dev.ffdispatch.posix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class ProgramPathsTest {
    @Test
    void ffmpegDefaultsToThePath() {
        assertEquals("ffmpeg", ProgramPaths.ffmpeg(null));
        assertEquals("ffmpeg", ProgramPaths.ffmpeg(" "));
        assertEquals("/opt/ff/ffmpeg", ProgramPaths.ffmpeg("/opt/ff/ffmpeg"));
    }

    @Test
    void ffprobeIsBesideTheConfiguredFfmpeg() {
        assertEquals("/usr/lib/jellyfin-ffmpeg/ffprobe", ProgramPaths.ffprobe(null, "/usr/lib/jellyfin-ffmpeg/ffmpeg"));
        assertEquals("/usr/lib/jellyfin-ffmpeg/ffprobe", ProgramPaths.ffprobe("", "/usr/lib/jellyfin-ffmpeg/ffmpeg"));
    }

    @Test
    void aConfiguredFfprobeWins() {
        assertEquals("/opt/probe", ProgramPaths.ffprobe("/opt/probe", "/usr/lib/jellyfin-ffmpeg/ffmpeg"));
    }

    @Test
    void withoutADirectoryFfprobeIsOnThePath() {
        assertEquals("ffprobe", ProgramPaths.ffprobe(null, null));
        assertEquals("ffprobe", ProgramPaths.ffprobe(null, "ffmpeg"));
        assertNull(ProgramPaths.ffprobeBeside("ffmpeg"));
        assertNull(ProgramPaths.ffprobeBeside(null));
        assertEquals("/ffprobe", ProgramPaths.ffprobeBeside("/ffmpeg"));
    }
}
