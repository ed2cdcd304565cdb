package dev.ffdispatch.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static dev.ffdispatch.store.StoreException.Kind.INVALID;

/**
 * One database engine behind {@link Store}: how a connection is had, how a write transaction
 * starts and ends, how the schema version is kept, and what its errors mean. The SQL of the
 * store itself is the same for both engines.
 */
abstract sealed class Engine implements AutoCloseable permits SqliteEngine, PostgresEngine {
    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);

    /** Work on one connection; inside {@link #write} it is one transaction. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** For logs and messages: the file, or the URL without its password. */
    abstract String describe();

    /** Which engine: "sqlite" or "postgresql". */
    abstract String kind();

    /** Runs {@code work} outside a transaction (each statement on its own). */
    abstract <T> T read(String op, Work<T> work);

    /** Runs {@code work} as one transaction: all of it, or (on any exception) none of it. */
    abstract <T> T write(String op, Work<T> work);

    /** The stored schema version (0 for an empty database). */
    abstract int schemaVersion(Connection c) throws SQLException;

    abstract void setSchemaVersion(Connection c, int version) throws SQLException;

    /** Serializes schema migrations between processes, inside the migration's transaction. */
    abstract void lockForMigration(Connection c) throws SQLException;

    /** {@link Schema}'s migration {@code index} in this engine's SQL. */
    abstract String migration(int index);

    /** What a failed operation means, with the state around it and the fix. */
    abstract StoreException translate(String op, Exception e);

    @Override
    public abstract void close();

    /** Brings the schema to {@link Schema#latest()} in one transaction; an older ffdispatch's data stays. */
    final void migrate() {
        write("migrate", c -> {
            lockForMigration(c);
            int version = schemaVersion(c);
            if (version > Schema.latest()) {
                throw new StoreException(INVALID, "database " + describe() + " has schema version " + version
                    + " but this ffdispatch knows only up to " + Schema.latest() + "; upgrade ffdispatch");
            }
            for (int v = version; v < Schema.latest(); v++) {
                try (Statement st = c.createStatement()) {
                    for (String statement : statements(migration(v))) {
                        st.execute(statement);
                    }
                }
                setSchemaVersion(c, v + 1);
                LOG.info("store(db={}) migrated schema {} -> {}", describe(), v, v + 1);
            }
            return null;
        });
    }

    /** Every statement of a migration (none holds a ';' inside a literal). */
    static List<String> statements(String sql) {
        return Arrays.stream(sql.split(";")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
