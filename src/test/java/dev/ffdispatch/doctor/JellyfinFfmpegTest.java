package dev.ffdispatch.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ffdispatch.doctor.JellyfinFfmpeg.Source;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Jellyfin's order: --ffmpeg, then JELLYFIN_FFMPEG, then encoding.xml, then PATH. */
class JellyfinFfmpegTest {
    @TempDir
    Path root;

    private void encodingXml(String dir, String body) throws Exception {
        Path d = Files.createDirectories(root.resolve(dir.substring(1)));
        Files.writeString(d.resolve("encoding.xml"), "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<EncodingOptions>\n" + body
            + "\n</EncodingOptions>\n");
    }

    private static JellyfinProcess jellyfin(List<String> args, Map<String, String> env) {
        return new JellyfinProcess(42, args, env);
    }

    @Test
    void theOptionWinsOverTheVariable() {
        JellyfinFfmpeg f = JellyfinFfmpeg.of(jellyfin(List.of("/usr/bin/jellyfin", "--ffmpeg=/usr/lib/jellyfin-ffmpeg/ffmpeg"),
            Map.of("JELLYFIN_FFMPEG", "/usr/lib/ffdispatch/bin/ffmpeg")), root);
        assertEquals("/usr/lib/jellyfin-ffmpeg/ffmpeg", f.path());
        assertEquals(Source.OPTION, f.source());
        assertTrue(f.certain());
    }

    @Test
    void theVariableWinsOverEncodingXml() throws Exception {
        encodingXml("/config/config", "<EncoderAppPath>/usr/bin/ffmpeg</EncoderAppPath>");
        JellyfinFfmpeg f = JellyfinFfmpeg.of(jellyfin(List.of("/jellyfin/jellyfin"),
            Map.of("JELLYFIN_FFMPEG", "/usr/lib/ffdispatch/bin/ffmpeg", "JELLYFIN_CONFIG_DIR", "/config/config")), root);
        assertEquals("/usr/lib/ffdispatch/bin/ffmpeg", f.path());
        assertEquals(Source.ENVIRONMENT, f.source());
    }

    @Test
    void encodingXmlInTheConfigDirectoryJellyfinUses() throws Exception {
        encodingXml("/etc/jellyfin", "<EncoderAppPath>/opt/ff &amp; co/ffmpeg</EncoderAppPath>");
        encodingXml("/srv/jf/config", "<EncoderAppPath>/srv/ffmpeg</EncoderAppPath>");
        JellyfinFfmpeg debian = JellyfinFfmpeg.of(jellyfin(List.of("/usr/bin/jellyfin"),
            Map.of("JELLYFIN_CONFIG_DIR", "/etc/jellyfin")), root);
        assertEquals("/opt/ff & co/ffmpeg", debian.path());
        assertEquals(Source.ENCODING_XML, debian.source());
        assertEquals("<EncoderAppPath> in /etc/jellyfin/encoding.xml", debian.where());
        JellyfinFfmpeg byDataDir = JellyfinFfmpeg.of(jellyfin(List.of("/usr/bin/jellyfin", "-d", "/srv/jf"), Map.of()), root);
        assertEquals("/srv/ffmpeg", byDataDir.path());
    }

    @Test
    void anEmptyValueFallsThroughToPath() throws Exception {
        encodingXml("/etc/jellyfin", "<EncoderAppPath />");
        JellyfinFfmpeg f = JellyfinFfmpeg.of(jellyfin(List.of("/usr/bin/jellyfin", "--ffmpeg="),
            Map.of("JELLYFIN_FFMPEG", "", "JELLYFIN_CONFIG_DIR", "/etc/jellyfin")), root);
        assertEquals("ffmpeg", f.path());
        assertEquals(Source.PATH, f.source());
        assertTrue(f.certain());
    }

    @Test
    void theTranscodePathIsTheDashboardsElseTheCacheDirectorysTranscodes() throws Exception {
        encodingXml("/etc/jellyfin", "<TranscodingTempPath>/srv/transcodes</TranscodingTempPath>");
        assertEquals(java.util.Optional.of("/srv/transcodes"), JellyfinFfmpeg.transcodePath(jellyfin(List.of("/usr/bin/jellyfin"),
            Map.of("JELLYFIN_CONFIG_DIR", "/etc/jellyfin", "JELLYFIN_CACHE_DIR", "/var/cache/jellyfin")), root));
        assertEquals(java.util.Optional.of("/config/cache/transcodes"), JellyfinFfmpeg.transcodePath(
            jellyfin(List.of("/usr/bin/jellyfin"), Map.of("JELLYFIN_CACHE_DIR", "/config/cache")), root));
        assertEquals(java.util.Optional.of("/c/transcodes"), JellyfinFfmpeg.transcodePath(
            jellyfin(List.of("/jellyfin/jellyfin", "-C", "/c"), Map.of("JELLYFIN_CACHE_DIR", "/cache")), root), "-C wins");
        assertEquals(java.util.Optional.empty(), JellyfinFfmpeg.transcodePath(jellyfin(List.of("/opt/jellyfin"), Map.of()), root));
    }

    @Test
    void withoutItsEnvironmentTheLastStartIsAGuessAndSaysSo() throws Exception {
        encodingXml("/config/config", "<EncoderAppPath></EncoderAppPath>\n"
            + "<EncoderAppPathDisplay>/usr/lib/jellyfin-ffmpeg/ffmpeg</EncoderAppPathDisplay>");
        JellyfinFfmpeg f = JellyfinFfmpeg.of(jellyfin(List.of("/jellyfin/jellyfin"), null), root);
        assertEquals("/usr/lib/jellyfin-ffmpeg/ffmpeg", f.path());
        assertEquals(Source.LAST_START, f.source());
        assertFalse(f.certain());
        assertTrue(f.where().contains("/config/config/encoding.xml"), f.where());
    }
}
