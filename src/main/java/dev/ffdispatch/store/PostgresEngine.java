package dev.ffdispatch.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static dev.ffdispatch.store.StoreException.Kind.BUSY;
import static dev.ffdispatch.store.StoreException.Kind.DUPLICATE;
import static dev.ffdispatch.store.StoreException.Kind.IO;
import static dev.ffdispatch.store.StoreException.Kind.UNAVAILABLE;

/**
 * State shared by several servers on PostgreSQL, through a small HikariCP pool. Timeouts are
 * short on purpose: a server that cannot reach the database must notice within seconds and go on
 * with what it knows (see {@code state.when_away}), not hang its jobs.
 */
final class PostgresEngine extends Engine {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresEngine.class);
    /** Waiting for a connection from the pool, which includes making one. */
    static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(2);
    /** TCP connect and login. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    /** A read that gets no answer: the server or the network died under an open connection. */
    static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(10);
    /** pg_advisory_xact_lock key of schema migrations ("ffd-mig"). */
    static final long MIGRATION_LOCK = 0x6666642d6d6967L;

    private final String display;
    private final HikariDataSource pool;

    private PostgresEngine(String display, HikariDataSource pool) {
        this.display = display;
        this.pool = pool;
    }

    /**
     * @param poolSize connections at most: the daemon's writer, its host choices and its readers
     * @throws StoreException UNAVAILABLE when the server cannot be reached or refuses the login
     */
    static PostgresEngine open(String jdbcUrl, String display, String user, String password, String applicationName,
                               int poolSize) {
        HikariConfig cfg = new HikariConfig();
        cfg.setPoolName("ffdispatch-state");
        cfg.setJdbcUrl(jdbcUrl);
        cfg.setUsername(user);
        if (password != null) {
            cfg.setPassword(password);
        }
        cfg.setMaximumPoolSize(poolSize);
        cfg.setMinimumIdle(1);
        cfg.setConnectionTimeout(CONNECTION_TIMEOUT.toMillis());
        cfg.setValidationTimeout(CONNECTION_TIMEOUT.toMillis() / 2);
        cfg.setInitializationFailTimeout(CONNECTION_TIMEOUT.toMillis());
        cfg.addDataSourceProperty("connectTimeout", String.valueOf(CONNECT_TIMEOUT.toSeconds()));
        cfg.addDataSourceProperty("loginTimeout", String.valueOf(CONNECT_TIMEOUT.toSeconds()));
        cfg.addDataSourceProperty("socketTimeout", String.valueOf(SOCKET_TIMEOUT.toSeconds()));
        cfg.addDataSourceProperty("tcpKeepAlive", "true");
        cfg.addDataSourceProperty("ApplicationName", applicationName);
        try {
            return new PostgresEngine(display, new HikariDataSource(cfg));
        } catch (HikariPool.PoolInitializationException | IllegalArgumentException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new StoreException(UNAVAILABLE, "cannot connect to database " + display + ": " + cause.getMessage()
                + "; check that the server runs and takes connections (pg_isready -h <host> -p <port>), the user,"
                + " and the password (URL, state.password_file or PGPASSWORD)", e);
        }
    }

    @Override
    String describe() {
        return display;
    }

    @Override
    String kind() {
        return "postgresql";
    }

    @Override
    <T> T read(String op, Work<T> work) {
        try (Connection c = pool.getConnection()) {
            return work.run(c);
        } catch (SQLException | RuntimeException e) {
            throw e instanceof StoreException se ? se : translate(op, e);
        }
    }

    @Override
    <T> T write(String op, Work<T> work) {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollback(c, op);
                throw e;
            } finally {
                restoreAutoCommit(c);
            }
        } catch (SQLException | RuntimeException e) {
            throw e instanceof StoreException se ? se : translate(op, e);
        }
    }

    private void rollback(Connection c, String op) {
        try {
            c.rollback();
        } catch (SQLException e) {
            LOG.debug("store(db={}) op={} rollback: {}", display, op, e.getMessage());
        }
    }

    private static void restoreAutoCommit(Connection c) {
        try {
            c.setAutoCommit(true);
        } catch (SQLException e) {
            // a broken connection: the pool drops it
        }
    }

    @Override
    int schemaVersion(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
            try (ResultSet rs = st.executeQuery("SELECT max(version) FROM schema_version")) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        }
    }

    @Override
    void setSchemaVersion(Connection c, int version) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.executeUpdate("DELETE FROM schema_version");
            st.executeUpdate("INSERT INTO schema_version (version) VALUES (" + version + ")");
        }
    }

    @Override
    void lockForMigration(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("SELECT pg_advisory_xact_lock(" + MIGRATION_LOCK + ")");
        }
    }

    private static final Pattern AUTOINCREMENT = Pattern.compile("INTEGER PRIMARY KEY AUTOINCREMENT");
    private static final Pattern INTEGER = Pattern.compile("\\bINTEGER\\b");
    private static final Pattern USER_COLUMN = Pattern.compile("(?m)^(\\s+)user(\\s)");

    /**
     * The one schema, written in the SQL both engines read, with the three things PostgreSQL
     * spells differently: identity columns, 64-bit integers (epoch milliseconds do not fit its
     * 32-bit INTEGER), and the column {@code user}, a reserved word there.
     */
    @Override
    String migration(int index) {
        String sql = AUTOINCREMENT.matcher(Schema.MIGRATIONS.get(index))
            .replaceAll("BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY");
        sql = INTEGER.matcher(sql).replaceAll("BIGINT");
        return USER_COLUMN.matcher(sql).replaceAll("$1\"user\"$2");
    }

    @Override
    StoreException translate(String op, Exception e) {
        String state = e instanceof SQLException s && s.getSQLState() != null ? s.getSQLState() : "";
        if (e instanceof SQLTransientConnectionException || state.startsWith("08") || state.startsWith("57P")
                || state.equals("53300")) {
            return new StoreException(UNAVAILABLE, "database " + display + " cannot be reached (op=" + op + "): "
                + e.getMessage() + "; check the server (pg_isready -h <host> -p <port>)", e);
        }
        if (state.equals("23505")) {
            return new StoreException(DUPLICATE, "database " + display + " refused a duplicate (op=" + op + "): "
                + e.getMessage(), e);
        }
        if (state.equals("40001") || state.equals("40P01") || state.equals("55P03") || state.equals("57014")) {
            return new StoreException(BUSY, "database " + display + " was busy (op=" + op + ", " + state + "): "
                + e.getMessage() + "; retry", e);
        }
        return new StoreException(IO, "database " + display + " failed (op=" + op + ", sqlstate " + state + "): "
            + e.getMessage(), e);
    }

    @Override
    public void close() {
        pool.close();
    }
}
