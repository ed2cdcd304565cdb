package dev.ffdispatch.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class PathMapperTest {
    private static final PathMapper MAPPER = new PathMapper(List.of(
        new PathMapper.Mapping("/media", "/mnt/media"),
        new PathMapper.Mapping("/media/tv", "/srv/tv"),
        new PathMapper.Mapping("/config/", "/mnt/config"),
        new PathMapper.Mapping("/cache", "/mnt/cache")));

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '\u00a7', quoteCharacter = '\u00b6', value = {
        "start of argument            \u00a7 /media/x.mkv                      \u00a7 /mnt/media/x.mkv",
        "prefix alone                 \u00a7 /media                            \u00a7 /mnt/media",
        "file: protocol               \u00a7 file:/media/x.mkv                 \u00a7 file:/mnt/media/x.mkv",
        "concat list                  \u00a7 concat:/media/a.vob|/media/b.vob   \u00a7 concat:/mnt/media/a.vob|/mnt/media/b.vob",
        "quoted concat list           \u00a7 concat:\"/media/a|/cache/b\"        \u00a7 concat:\"/mnt/media/a|/mnt/cache/b\"",
        "filter with quotes           \u00a7 subtitles=f='/media/a.srt':fontsdir='/config/fonts' \u00a7 subtitles=f='/mnt/media/a.srt':fontsdir='/mnt/config/fonts'",
        "filter unquoted              \u00a7 subtitles=/media/a.srt:si=0       \u00a7 subtitles=/mnt/media/a.srt:si=0",
        "segment pattern              \u00a7 /cache/transcodes/abc%d.ts        \u00a7 /mnt/cache/transcodes/abc%d.ts",
        "longest prefix wins          \u00a7 /media/tv/show/e1.mkv             \u00a7 /srv/tv/show/e1.mkv",
        "longest prefix alone         \u00a7 /media/tv                         \u00a7 /srv/tv",
        "sibling of longer prefix     \u00a7 /media/tvx/e1.mkv                 \u00a7 /mnt/media/tvx/e1.mkv",
        "no boundary                  \u00a7 /media2/x.mkv                     \u00a7 /media2/x.mkv",
        "not at a path start          \u00a7 x/media/y                         \u00a7 x/media/y",
        "inside a word                \u00a7 -metadata:title_media             \u00a7 -metadata:title_media",
        "option without path          \u00a7 -c:v                              \u00a7 -c:v",
        "URL path untouched           \u00a7 http://jf:8096/media/x            \u00a7 http://jf:8096/media/x",
        "trailing slash in mapping    \u00a7 /config/fonts/a.ttf               \u00a7 /mnt/config/fonts/a.ttf",
        "prefix then quote            \u00a7 fontsdir='/config'                \u00a7 fontsdir='/mnt/config'",
        "several in one filter        \u00a7 movie=/media/a.png[w];x=/cache/b   \u00a7 movie=/mnt/media/a.png[w];x=/mnt/cache/b",
    })
    void rewritesPathsInEveryContext(String name, String in, String expected) {
        byte[] arg = in.getBytes(StandardCharsets.UTF_8);
        assertEquals(expected, new String(MAPPER.mapArgument(arg), StandardCharsets.UTF_8), name);
    }

    @Test
    void bytesThatAreNotUtf8SurviveAroundAMappedPrefix() {
        byte[] in = concat("file:".getBytes(StandardCharsets.US_ASCII), "/media/".getBytes(StandardCharsets.US_ASCII),
            new byte[] {(byte) 0xff, (byte) 0xc3, 'a', (byte) 0x80});
        byte[] expected = concat("file:/mnt/media/".getBytes(StandardCharsets.US_ASCII),
            new byte[] {(byte) 0xff, (byte) 0xc3, 'a', (byte) 0x80});
        assertArrayEquals(expected, MAPPER.mapArgument(in));
        byte[] before = {(byte) 0xfe, '=', '/', 'm', 'e', 'd', 'i', 'a'};
        assertArrayEquals(concat(new byte[] {(byte) 0xfe, '='}, "/mnt/media".getBytes(StandardCharsets.US_ASCII)),
            MAPPER.mapArgument(before));
    }

    @Test
    void unicodePrefixesMatchAsUtf8Bytes() {
        PathMapper mapper = new PathMapper(List.of(new PathMapper.Mapping("/m\u00e9dia", "/m")));
        assertArrayEquals("/m/\u65e5.mkv".getBytes(StandardCharsets.UTF_8),
            mapper.mapArgument("/m\u00e9dia/\u65e5.mkv".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void workingDirectoryIsMappedOnlyAtItsStart() {
        assertEquals("/mnt/cache/transcodes", text(MAPPER.mapDirectory(bytes("/cache/transcodes"))));
        assertEquals("/srv/tv", text(MAPPER.mapDirectory(bytes("/media/tv"))));
        assertEquals("/x:/media", text(MAPPER.mapDirectory(bytes("/x:/media"))));
        assertEquals("/cachex", text(MAPPER.mapDirectory(bytes("/cachex"))));
        assertEquals(0, MAPPER.mapDirectory(new byte[0]).length);
    }

    @Test
    void mapsAWholeSpec() {
        JobSpec spec = new JobSpec("/usr/bin/ffmpeg", List.of(bytes("-i"), bytes("file:/media/a.mkv")),
            bytes("/config/data"), Map.of("TZ", "UTC"));
        JobSpec mapped = MAPPER.map(spec);
        assertEquals("file:/mnt/media/a.mkv", text(mapped.args().get(1)));
        assertEquals("/mnt/config/data", text(mapped.workingDirectory()));
        assertEquals(spec.environment(), mapped.environment());
        assertEquals(spec.program(), mapped.program());
    }

    @Test
    void withoutMappingsNothingIsCopied() {
        List<byte[]> args = List.of(bytes("-i"), bytes("/media/x"));
        assertSame(args, PathMapper.NONE.mapArguments(args));
        byte[] untouched = bytes("-c:v");
        assertSame(untouched, MAPPER.mapArgument(untouched));
        JobSpec spec = new JobSpec("ffmpeg", args, new byte[0], Map.of());
        assertSame(spec, PathMapper.NONE.map(spec));
    }

    @Test
    void rejectsMappingsThatCannotWork() {
        IllegalArgumentException relative = assertThrows(IllegalArgumentException.class,
            () -> new PathMapper.Mapping("media", "/mnt/media"));
        assertTrue(relative.getMessage().contains("'media'"), relative.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new PathMapper.Mapping("/", "/mnt"));
        assertThrows(IllegalArgumentException.class, () -> new PathMapper.Mapping("/media", "//"));
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () -> new PathMapper(List.of(
            new PathMapper.Mapping("/media", "/a"), new PathMapper.Mapping("/media/", "/b"))));
        assertTrue(twice.getMessage().contains("/media"), twice.getMessage());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
