package dev.ffdispatch.doctor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which ffmpeg a running Jellyfin uses, by Jellyfin's own order (MediaEncoder.SetFFmpegPath):
 * the {@code --ffmpeg} option, else {@code JELLYFIN_FFMPEG} (both are the configuration key
 * "ffmpeg"; the option is added last and wins), else {@code <EncoderAppPath>} in encoding.xml,
 * else {@code ffmpeg} on its PATH.
 *
 * @param path the program, as Jellyfin names it
 * @param source where the path came from, for the user: "its --ffmpeg option", ...
 * @param certain false when Jellyfin's environment could not be read, so JELLYFIN_FFMPEG may override what was found
 */
public record JellyfinFfmpeg(String path, Source source, String where, boolean certain) {
    /** Where Jellyfin took the path from; it decides which line to change. */
    public enum Source { OPTION, ENVIRONMENT, ENCODING_XML, LAST_START, PATH }

    /** Debian, then the official image, then linuxserver.io: where encoding.xml lives when the environment cannot say. */
    static final List<String> KNOWN_CONFIG_DIRS = List.of("/etc/jellyfin", "/config/config", "/config");
    private static final Pattern APP_PATH = Pattern.compile("<EncoderAppPath>([^<]*)</EncoderAppPath>");
    private static final Pattern APP_PATH_DISPLAY = Pattern.compile("<EncoderAppPathDisplay>([^<]*)</EncoderAppPathDisplay>");
    private static final Pattern TRANSCODE_PATH = Pattern.compile("<TranscodingTempPath>([^<]*)</TranscodingTempPath>");

    /**
     * @param root the filesystem Jellyfin's paths are read in ("/", or a test's directory)
     */
    public static JellyfinFfmpeg of(JellyfinProcess jellyfin, Path root) {
        Optional<String> option = jellyfin.option("ffmpeg", null).filter(s -> !s.isEmpty());
        if (option.isPresent()) {
            return new JellyfinFfmpeg(option.get(), Source.OPTION, "its --ffmpeg option", true);
        }
        boolean envKnown = jellyfin.environment() != null;
        Optional<String> variable = jellyfin.variable("JELLYFIN_FFMPEG").filter(s -> !s.isEmpty());
        if (variable.isPresent()) {
            return new JellyfinFfmpeg(variable.get(), Source.ENVIRONMENT, "JELLYFIN_FFMPEG in its environment", true);
        }
        Optional<Path> encoding = encodingXml(jellyfin, root);
        String xml = encoding.map(f -> read(root, f)).orElse("");
        String configured = unescape(match(APP_PATH, xml));
        if (!configured.isEmpty()) {
            return new JellyfinFfmpeg(configured, Source.ENCODING_XML, "<EncoderAppPath> in " + encoding.get(), envKnown);
        }
        String shown = unescape(match(APP_PATH_DISPLAY, xml));
        if (!envKnown && !shown.isEmpty()) {
            // Jellyfin writes the path it validated at start-up here: the best guess when its environment is closed to us.
            return new JellyfinFfmpeg(shown, Source.LAST_START, "<EncoderAppPathDisplay> in " + encoding.get()
                + " (what Jellyfin used at its last start)", false);
        }
        return new JellyfinFfmpeg("ffmpeg", Source.PATH, "ffmpeg on its PATH (no --ffmpeg, JELLYFIN_FFMPEG or EncoderAppPath)",
            envKnown);
    }

    /**
     * Jellyfin's transcode directory: {@code <TranscodingTempPath>} in encoding.xml when set (the
     * dashboard's "Transcode path"), else {@code <cache dir>/transcodes}; empty when neither is known.
     */
    public static Optional<String> transcodePath(JellyfinProcess jellyfin, Path root) {
        String configured = encodingXml(jellyfin, root).map(f -> unescape(match(TRANSCODE_PATH, read(root, f)))).orElse("");
        if (!configured.isEmpty()) {
            return Optional.of(configured);
        }
        return jellyfin.option("cachedir", 'C').or(() -> jellyfin.variable("JELLYFIN_CACHE_DIR"))
            .filter(dir -> dir.startsWith("/")).map(dir -> dir + "/transcodes");
    }

    /** encoding.xml in Jellyfin's config directory (StartupHelpers.CreateApplicationPaths), if it exists. */
    static Optional<Path> encodingXml(JellyfinProcess jellyfin, Path root) {
        List<String> dirs = new ArrayList<>();
        jellyfin.option("configdir", 'c').ifPresent(dirs::add);
        jellyfin.variable("JELLYFIN_CONFIG_DIR").ifPresent(dirs::add);
        jellyfin.option("datadir", 'd').or(() -> jellyfin.variable("JELLYFIN_DATA_DIR"))
            .ifPresent(data -> dirs.add(data + "/config"));
        jellyfin.variable("HOME").ifPresent(home -> {
            dirs.add(jellyfin.variable("XDG_DATA_HOME").orElse(home + "/.local/share") + "/jellyfin/config");
            dirs.add(jellyfin.variable("XDG_CONFIG_HOME").orElse(home + "/.config") + "/jellyfin");
        });
        if (jellyfin.environment() == null) {
            dirs.addAll(KNOWN_CONFIG_DIRS);
        }
        return dirs.stream().filter(d -> d.startsWith("/")).map(d -> Path.of(d, "encoding.xml"))
            .filter(f -> Files.isRegularFile(inRoot(root, f))).findFirst();
    }

    static Path inRoot(Path root, Path absolute) {
        return root.resolve(absolute.toString().substring(1));
    }

    private static String read(Path root, Path file) {
        try {
            return Files.readString(inRoot(root, file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static String match(Pattern pattern, String xml) {
        Matcher m = pattern.matcher(xml);
        return m.find() ? m.group(1).strip() : "";
    }

    private static String unescape(String xml) {
        return xml.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&");
    }
}
