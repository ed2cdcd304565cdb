package dev.ffdispatch.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What {@code state.database} names: a SQLite file (any value that is not a URL) or a PostgreSQL
 * server ({@code postgresql://user[:password]@host[:port]/database[?sslmode=...]}). A URL with any
 * other scheme is an error, never a file name: {@code mysql://...} must not quietly become a
 * SQLite file in a directory named {@code mysql:}.
 */
public sealed interface DatabaseLocation {
    /** "scheme:" at the start, as in a URL; a file path never starts so (unless it is a mistake). */
    Pattern URL_LIKE = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*):.*", Pattern.DOTALL);
    List<String> POSTGRES_SCHEMES = List.of("postgresql", "postgres");
    /** Connection options passed on to the driver; others (socket factories, plugins) are refused. */
    List<String> POSTGRES_OPTIONS = List.of("sslmode", "sslrootcert", "sslcert", "sslkey");
    int DEFAULT_POSTGRES_PORT = 5432;

    /** One server's state in a SQLite file. */
    record SqliteFile(Path file) implements DatabaseLocation {
        @Override
        public String display() {
            return file.toString();
        }
    }

    /**
     * State shared by several servers on PostgreSQL.
     *
     * @param password the URL's password (percent-decoded), or null: then state.password_file or PGPASSWORD
     * @param options  driver options from the URL's query, in the order written
     */
    record Postgres(String user, String password, String host, int port, String database, Map<String, String> options)
            implements DatabaseLocation {
        public Postgres {
            options = Map.copyOf(options);
        }

        /** The JDBC URL, without user or password (those go as properties, never into logs). */
        public String jdbcUrl() {
            StringBuilder url = new StringBuilder("jdbc:postgresql://").append(host.contains(":") ? "[" + host + "]" : host)
                .append(':').append(port).append('/').append(database);
            char sep = '?';
            for (Map.Entry<String, String> e : options.entrySet()) {
                url.append(sep).append(e.getKey()).append('=').append(e.getValue());
                sep = '&';
            }
            return url.toString();
        }

        /** The URL with the password masked: what logs, status and doctor show. */
        @Override
        public String display() {
            return "postgresql://" + user + (password == null ? "" : ":***") + "@" + (host.contains(":") ? "[" + host + "]" : host)
                + ":" + port + "/" + database;
        }
    }

    /** For logs and messages; never contains a password. */
    String display();

    /**
     * @throws IllegalArgumentException naming the problem and the accepted form
     */
    static DatabaseLocation parse(String text) {
        var m = URL_LIKE.matcher(text);
        if (!m.matches()) {
            return new SqliteFile(Path.of(text));
        }
        String scheme = m.group(1).toLowerCase(Locale.ROOT);
        if (!POSTGRES_SCHEMES.contains(scheme)) {
            throw new IllegalArgumentException("value '" + masked(text) + "' is a URL with scheme '" + m.group(1)
                + "', which ffdispatch does not know; accepted: a file path (SQLite, e.g. /var/lib/ffdispatch/ffdispatch.db)"
                + " or postgresql://user@host:port/database (state shared by several servers)");
        }
        return postgres(text);
    }

    private static Postgres postgres(String text) {
        String form = "; expected postgresql://user@host:port/database (password from state.password_file or"
            + " PGPASSWORD; special characters percent-encoded)";
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("value '" + masked(text) + "' is not a valid URL (" + e.getReason() + ")" + form);
        }
        if (uri.getRawAuthority() == null || uri.getHost() == null) {
            throw new IllegalArgumentException("value '" + masked(text) + "' names no host" + form);
        }
        String userInfo = uri.getRawUserInfo();
        if (userInfo == null || userInfo.isEmpty() || userInfo.startsWith(":")) {
            throw new IllegalArgumentException("value '" + masked(text) + "' names no user" + form);
        }
        int colon = userInfo.indexOf(':');
        String user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
        String password = colon < 0 ? null : decode(userInfo.substring(colon + 1));
        String path = uri.getPath() == null ? "" : uri.getPath();
        String database = path.startsWith("/") ? path.substring(1) : path;
        if (database.isEmpty() || database.contains("/")) {
            throw new IllegalArgumentException("value '" + masked(text) + "' names no database (the path after the port)" + form);
        }
        String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
        return new Postgres(user, password, host, uri.getPort() < 0 ? DEFAULT_POSTGRES_PORT : uri.getPort(), database,
            options(uri.getRawQuery(), text));
    }

    private static Map<String, String> options(String query, String text) {
        Map<String, String> options = new LinkedHashMap<>();
        if (query == null || query.isEmpty()) {
            return options;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            if (!POSTGRES_OPTIONS.contains(key) || eq < 0) {
                throw new IllegalArgumentException("value '" + masked(text) + "' has the option '" + pair
                    + "'; accepted: " + String.join(", ", POSTGRES_OPTIONS) + ", each as name=value");
            }
            options.put(key, decode(pair.substring(eq + 1)));
        }
        return options;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** {@code text} with any password in it replaced by ***, for error messages and logs. */
    static String masked(String text) {
        return text.replaceFirst("^([A-Za-z][A-Za-z0-9+.-]*://[^:@/?#]*):[^@/?#]*@", "$1:***@");
    }
}
