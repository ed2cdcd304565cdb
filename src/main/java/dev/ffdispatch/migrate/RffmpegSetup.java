package dev.ffdispatch.migrate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.sqlite.SQLiteConfig;

/**
 * An rffmpeg install as read from disk: the {@code rffmpeg:} section of its YAML (missing keys
 * take rffmpeg's own defaults) and the rows of its {@code hosts} table. Nothing is written.
 */
public record RffmpegSetup(JsonNode config, Path configFile, boolean configFound, Path database, List<Host> hosts) {
    /** rffmpeg's default locations. */
    public static final Path DEFAULT_CONFIG = Path.of("/etc/rffmpeg/rffmpeg.yml");
    public static final Path DEFAULT_STATE_DIR = Path.of("/var/lib/rffmpeg");
    /** rffmpeg's defaults for the keys ffdispatch maps. */
    static final String DEFAULT_USER = "jellyfin";
    static final List<String> DEFAULT_ARGS = List.of("-i", "/var/lib/jellyfin/.ssh/id_rsa");
    static final String DEFAULT_FFMPEG = "/usr/lib/jellyfin-ffmpeg/ffmpeg";
    static final String DEFAULT_FFPROBE = "/usr/lib/jellyfin-ffmpeg/ffprobe";

    /** One row of rffmpeg's {@code hosts} table. */
    public record Host(long id, String servername, String hostname, int weight) {
    }

    /**
     * Reads the install.
     *
     * @param configFile the YAML, or null for {@code $RFFMPEG_CONFIG} / the default (whose absence means rffmpeg's defaults)
     * @param database the SQLite file, or null for {@code <directories.state>/rffmpeg.db}
     * @throws IllegalArgumentException naming the file and what to do, when a given file is missing or unreadable
     */
    public static RffmpegSetup read(Path configFile, boolean configGiven, Path database) {
        boolean found = Files.isRegularFile(configFile);
        if (configGiven && !found) {
            throw new IllegalArgumentException("rffmpeg config " + configFile + " does not exist; give the right path"
                + " with --rffmpeg-config, or leave it out to use rffmpeg's defaults");
        }
        JsonNode config = found ? yaml(configFile) : MissingNode.getInstance();
        Path db = database != null ? database
            : Path.of(text(config.path("directories").path("state"), DEFAULT_STATE_DIR.toString()), "rffmpeg.db");
        if (!Files.isRegularFile(db)) {
            throw new IllegalArgumentException("rffmpeg database " + db + " does not exist; give it with --db <rffmpeg.db>"
                + (found ? "" : " (no rffmpeg config at " + configFile + " either)"));
        }
        return new RffmpegSetup(config, configFile, found, db, hosts(db));
    }

    private static JsonNode yaml(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException("rffmpeg config " + file + " is not readable YAML: " + e.getMessage(), e);
        }
        if (root == null || !root.path("rffmpeg").isObject()) {
            throw new IllegalArgumentException("rffmpeg config " + file + " has no top-level 'rffmpeg:' section;"
                + " is it an rffmpeg.yml?");
        }
        return root.get("rffmpeg");
    }

    private static List<Host> hosts(Path db) {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        List<Host> hosts = new ArrayList<>();
        try (Connection conn = config.createConnection("jdbc:sqlite:" + db.toAbsolutePath());
             Statement st = conn.createStatement();
             ResultSet rs = st.executeQuery("SELECT id, servername, hostname, weight FROM hosts ORDER BY id")) {
            while (rs.next()) {
                int weight = rs.getInt(4);
                hosts.add(new Host(rs.getLong(1), rs.getString(2), rs.getString(3), rs.wasNull() ? 1 : weight));
            }
        } catch (SQLException e) {
            throw new IllegalArgumentException("cannot read the hosts table of rffmpeg database " + db + ": "
                + e.getMessage() + "; is it an rffmpeg.db (rffmpeg init)?", e);
        }
        return hosts;
    }

    /** {@code section.key} of the rffmpeg config as text, or {@code fallback}. */
    String setting(String section, String key, String fallback) {
        return text(config.path(section).path(key), fallback);
    }

    /** {@code section.key} as a list of strings (blank entries dropped), or {@code fallback} when absent. */
    List<String> list(String section, String key, List<String> fallback) {
        JsonNode node = config.path(section).path(key);
        if (node.isMissingNode()) {
            return fallback;
        }
        List<String> out = new ArrayList<>();
        node.forEach(n -> {
            if (!n.isNull() && !n.asText().isBlank()) {
                out.add(n.asText());
            }
        });
        return out;
    }

    private static String text(JsonNode node, String fallback) {
        return node.isMissingNode() || node.isNull() ? fallback : node.asText();
    }
}
