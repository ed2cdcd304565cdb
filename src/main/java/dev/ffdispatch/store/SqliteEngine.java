package dev.ffdispatch.store;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import static dev.ffdispatch.store.StoreException.Kind.BUSY;
import static dev.ffdispatch.store.StoreException.Kind.DUPLICATE;
import static dev.ffdispatch.store.StoreException.Kind.IO;

/**
 * One server's state in a SQLite file. Several processes (the daemon, any number of CLI calls)
 * use one file at once. WAL lets readers run beside the writer; every write is one short
 * {@code BEGIN IMMEDIATE} transaction, so a writer takes the write lock up front (waiting up to
 * the busy timeout) instead of upgrading a read lock later, which SQLite would refuse at once
 * with "database is locked". One connection, used by one thread at a time.
 */
final class SqliteEngine extends Engine {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteEngine.class);
    /** Owner read-write, group read, others nothing: the history holds full command lines (file names). */
    static final Set<PosixFilePermission> MODE = PosixFilePermissions.fromString("rw-r-----");

    private final Path file;
    private final Connection conn;
    private final Duration busyTimeout;

    private SqliteEngine(Path file, Connection conn, Duration busyTimeout) {
        this.file = file;
        this.conn = conn;
        this.busyTimeout = busyTimeout;
    }

    static SqliteEngine open(Path dbFile, Duration busyTimeout) {
        Path abs = dbFile.toAbsolutePath();
        try {
            if (abs.getParent() != null) {
                Files.createDirectories(abs.getParent());
            }
        } catch (IOException e) {
            throw new StoreException(IO, "cannot create directory " + abs.getParent() + " for database " + abs
                    + ": " + e.getMessage() + "; create it or set state.database", e);
        }
        restrictAccess(abs);
        SQLiteConfig cfg = new SQLiteConfig();
        cfg.setBusyTimeout((int) busyTimeout.toMillis());
        cfg.setJournalMode(SQLiteConfig.JournalMode.WAL);
        cfg.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        cfg.enforceForeignKeys(true);
        try {
            return new SqliteEngine(abs, cfg.createConnection("jdbc:sqlite:" + abs), busyTimeout);
        } catch (SQLException e) {
            throw new StoreException(IO, "cannot open database " + abs + ": " + e.getMessage()
                    + "; check the path and its permissions (state.database)", e);
        }
    }

    Path file() {
        return file;
    }

    @Override
    String describe() {
        return file.toString();
    }

    @Override
    String kind() {
        return "sqlite";
    }

    @Override
    synchronized <T> T read(String op, Work<T> work) {
        try {
            return work.run(conn);
        } catch (SQLException e) {
            throw translate(op, e);
        }
    }

    /** BEGIN IMMEDIATE takes the write lock first, so nothing is half-written. */
    @Override
    synchronized <T> T write(String op, Work<T> work) {
        exec(op, "BEGIN IMMEDIATE");
        try {
            T result = work.run(conn);
            exec(op, "COMMIT");
            return result;
        } catch (SQLException | RuntimeException e) {
            rollback(op);
            throw e instanceof StoreException se ? se : translate(op, e);
        }
    }

    @Override
    int schemaVersion(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA user_version")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    @Override
    void setSchemaVersion(Connection c, int version) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.executeUpdate("PRAGMA user_version = " + version);
        }
    }

    @Override
    void lockForMigration(Connection c) {
        // BEGIN IMMEDIATE already holds the write lock.
    }

    @Override
    String migration(int index) {
        return Schema.MIGRATIONS.get(index);
    }

    private void exec(String op, String sql) {
        try (Statement st = conn.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw translate(op, e);
        }
    }

    private void rollback(String op) {
        try (Statement st = conn.createStatement()) {
            st.execute("ROLLBACK");
        } catch (SQLException e) {
            // No transaction left to roll back (SQLite may have rolled back by itself).
            LOG.debug("store(db={}) op={} rollback: {}", file, op, e.getMessage());
        }
    }

    @Override
    StoreException translate(String op, Exception e) {
        if (e instanceof SQLiteException s) {
            SQLiteErrorCode code = s.getResultCode();
            if (code == SQLiteErrorCode.SQLITE_BUSY || code == SQLiteErrorCode.SQLITE_LOCKED) {
                return new StoreException(BUSY, "database " + file + " stayed locked by another process for more than "
                        + busyTimeout.toMillis() + " ms (op=" + op + "); retry, and look for a stuck process: fuser " + file, e);
            }
            if (code == SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE || code == SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY) {
                return new StoreException(DUPLICATE, "database " + file + " refused a duplicate (op=" + op + "): "
                        + e.getMessage(), e);
            }
        }
        return new StoreException(IO, "database " + file + " failed (op=" + op + "): " + e.getMessage(), e);
    }

    @Override
    public synchronized void close() {
        try {
            conn.close();
        } catch (SQLException e) {
            LOG.warn("store(db={}) close failed: {}", file, e.getMessage());
        }
    }

    /**
     * Creates the file 0640 before SQLite does (SQLite gives its -wal and -shm files the mode of
     * the database file), and takes away what others may do with an existing file of ours.
     */
    private static void restrictAccess(Path db) {
        try {
            Files.createFile(db, PosixFilePermissions.asFileAttribute(MODE));
            Files.setPosixFilePermissions(db, MODE); // the umask may have taken group read away
        } catch (FileAlreadyExistsException e) {
            for (String suffix : new String[] {"", "-wal", "-shm"}) {
                Path file = db.resolveSibling(db.getFileName() + suffix);
                if (Files.exists(file)) {
                    tighten(file);
                }
            }
        } catch (IOException | UnsupportedOperationException e) {
            LOG.warn("store(db={}) cannot create it with mode 0640: {}", db, e.toString());
        }
    }

    private static void tighten(Path db) {
        try {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(db);
            boolean others = mode.contains(PosixFilePermission.OTHERS_READ) || mode.contains(PosixFilePermission.OTHERS_WRITE);
            if (others) {
                Set<PosixFilePermission> tighter = EnumSet.copyOf(mode);
                tighter.removeAll(EnumSet.of(PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE,
                    PosixFilePermission.OTHERS_EXECUTE));
                Files.setPosixFilePermissions(db, tighter);
                LOG.info("store(db={}) others could read it (it holds command lines): mode now {}", db,
                    PosixFilePermissions.toString(tighter));
            }
        } catch (IOException | UnsupportedOperationException e) {
            // Not ours to change (another user's file, read-only mount): it stays as it is.
            LOG.debug("store(db={}) mode left as it is: {}", db, e.toString());
        }
    }
}
