package dev.ffdispatch.migrate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.ffdispatch.config.DatabaseLocation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.sqlite.SQLiteConfig;

/**
 * An rffmpeg install as read from disk: the {@code rffmpeg:} section of its YAML (missing keys
 * take rffmpeg's own defaults) and the rows of its {@code hosts} table, from its SQLite file or
 * from its PostgreSQL database (rffmpeg uses PostgreSQL when {@code RFFMPEG_POSTGRES_USER} is
 * set). Nothing is written.
 *
 * @param database the SQLite file, or the PostgreSQL URL without its password
 */
public record RffmpegSetup(JsonNode config, Path configFile, boolean configFound, String database, List<Host> hosts) {
    /** rffmpeg's default locations. */
    public static final Path DEFAULT_CONFIG = Path.of("/etc/rffmpeg/rffmpeg.yml");
    public static final Path DEFAULT_STATE_DIR = Path.of("/var/lib/rffmpeg");
    /** rffmpeg's defaults for the keys ffdispatch maps. */
    static final String DEFAULT_USER = "jellyfin";
    static final List<String> DEFAULT_ARGS = List.of("-i", "/var/lib/jellyfin/.ssh/id_rsa");
    static final String DEFAULT_FFMPEG = "/usr/lib/jellyfin-ffmpeg/ffmpeg";
    static final String DEFAULT_FFPROBE = "/usr/lib/jellyfin-ffmpeg/ffprobe";
    /** rffmpeg's own variables for its PostgreSQL database; the user variable switches it to PostgreSQL. */
    public static final String PG_USER = "RFFMPEG_POSTGRES_USER";
    static final String PG_PASS = "RFFMPEG_POSTGRES_PASS";
    static final String PG_HOST = "RFFMPEG_POSTGRES_HOST";
    static final String PG_PORT = "RFFMPEG_POSTGRES_PORT";
    static final String PG_DB = "RFFMPEG_POSTGRES_DB";
    private static final String HOSTS_QUERY = "SELECT id, servername, hostname, weight FROM hosts ORDER BY id";

    /** One row of rffmpeg's {@code hosts} table. */
    public record Host(long id, String servername, String hostname, int weight) {
    }

    /**
     * Reads the install.
     *
     * @param configFile the YAML, or null for {@code $RFFMPEG_CONFIG} / the default (whose absence means rffmpeg's defaults)
     * @param database the SQLite file or a {@code postgresql://user@host:port/db} URL; null for what rffmpeg
     *     itself uses: PostgreSQL when {@value #PG_USER} is set in {@code env}, else {@code <directories.state>/rffmpeg.db}
     * @param env rffmpeg's {@code RFFMPEG_POSTGRES_*} variables, and {@code PGPASSWORD}
     * @throws IllegalArgumentException naming the file and what to do, when a given file is missing or unreadable
     */
    public static RffmpegSetup read(Path configFile, boolean configGiven, String database, Map<String, String> env) {
        boolean found = Files.isRegularFile(configFile);
        if (configGiven && !found) {
            throw new IllegalArgumentException("rffmpeg config " + configFile + " does not exist; give the right path"
                + " with --rffmpeg-config, or leave it out to use rffmpeg's defaults");
        }
        JsonNode config = found ? yaml(configFile) : MissingNode.getInstance();
        if (database == null && env.get(PG_USER) != null) {
            database = "postgresql://" + env.get(PG_USER) + "@" + env.getOrDefault(PG_HOST, "localhost") + ":"
                + env.getOrDefault(PG_PORT, "5432") + "/" + env.getOrDefault(PG_DB, "rffmpeg");
        }
        if (database != null && DatabaseLocation.URL_LIKE.matcher(database).matches()) {
            DatabaseLocation.Postgres pg;
            try {
                pg = (DatabaseLocation.Postgres) DatabaseLocation.parse(database);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("rffmpeg database " + e.getMessage().replace("value ", ""), e);
            }
            return new RffmpegSetup(config, configFile, found, pg.display(), postgresHosts(pg, env));
        }
        Path db = database != null ? Path.of(database)
            : Path.of(text(config.path("directories").path("state"), DEFAULT_STATE_DIR.toString()), "rffmpeg.db");
        if (!Files.isRegularFile(db)) {
            throw new IllegalArgumentException("rffmpeg database " + db + " does not exist; give it with --db <rffmpeg.db>"
                + (found ? "" : " (no rffmpeg config at " + configFile + " either)"));
        }
        return new RffmpegSetup(config, configFile, found, db.toString(), hosts(db));
    }

    /** rffmpeg's hosts table on PostgreSQL (the same columns as its SQLite one). */
    private static List<Host> postgresHosts(DatabaseLocation.Postgres pg, Map<String, String> env) {
        Properties login = new Properties();
        login.setProperty("user", pg.user());
        String password = pg.password() != null ? pg.password() : env.getOrDefault(PG_PASS, env.get("PGPASSWORD"));
        if (password != null) {
            login.setProperty("password", password);
        }
        login.setProperty("connectTimeout", "5");
        login.setProperty("readOnly", "true");
        try (Connection conn = new org.postgresql.Driver().connect(pg.jdbcUrl(), login);
             Statement st = conn.createStatement();
             ResultSet rs = st.executeQuery(HOSTS_QUERY)) {
            return rows(rs);
        } catch (SQLException e) {
            throw new IllegalArgumentException("cannot read the hosts table of rffmpeg's PostgreSQL database " + pg.display()
                + ": " + e.getMessage() + "; check the URL (--db), the password (" + PG_PASS + " or PGPASSWORD) and that"
                + " rffmpeg init ran there", e);
        }
    }

    private static List<Host> rows(ResultSet rs) throws SQLException {
        List<Host> hosts = new ArrayList<>();
        while (rs.next()) {
            int weight = rs.getInt(4);
            hosts.add(new Host(rs.getLong(1), rs.getString(2), rs.getString(3), rs.wasNull() ? 1 : weight));
        }
        return hosts;
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
        try (Connection conn = config.createConnection("jdbc:sqlite:" + db.toAbsolutePath());
             Statement st = conn.createStatement();
             ResultSet rs = st.executeQuery(HOSTS_QUERY)) {
            return rows(rs);
        } catch (SQLException e) {
            throw new IllegalArgumentException("cannot read the hosts table of rffmpeg database " + db + ": "
                + e.getMessage() + "; is it an rffmpeg.db (rffmpeg init)?", e);
        }
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
