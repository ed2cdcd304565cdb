package dev.ffdispatch.workersetup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ffdispatch.store.PathMap;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ToolsTest {
    @Test
    void hwaccelsAreTheLinesAfterTheHeader() {
        assertEquals(List.of("vdpau", "cuda", "vaapi"),
            Tools.parseHwaccels("Hardware acceleration methods:\nvdpau\ncuda\nvaapi\n\n"));
        assertEquals(List.of(), Tools.parseHwaccels("Hardware acceleration methods:\n"));
        assertEquals(List.of(), Tools.parseHwaccels(""));
    }

    @Test
    void theHostAddLineQuotesOnlyWhatNeedsIt() {
        HostLine line = new HostLine(new SetupRequest("mac.lan", "mac", 2222, "ff", List.of(), Path.of("/cache"),
            List.of(PathMap.parse("/media=/Volumes/My Media"))));
        line.tools("/opt/homebrew/bin/ffmpeg", "/opt/homebrew/bin/ffprobe");
        assertEquals("ffdispatch host add mac.lan --name mac --user ff --port 2222 --ffmpeg /opt/homebrew/bin/ffmpeg"
            + " --ffprobe /opt/homebrew/bin/ffprobe --map '/media=/Volumes/My Media'", line.text());
    }
}
