package dev.ffdispatch;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for the tests and the bench, from Debian's packages ({@code apt-get
 * install postgresql}): {@code initdb} into a temporary directory, {@code pg_ctl} on a free
 * loopback port, password login (scram-sha-256) over TCP as the superuser {@link #USER}. One
 * server per JVM ({@link #shared()}), stopped and deleted when the JVM exits; each test takes
 * its own database ({@link #newDatabase()}).
 *
 * <p>initdb and the server refuse to run as root: as root they run as the {@code postgres} user
 * the package creates (through {@code runuser}), otherwise as the current user. Nothing of the
 * system's own cluster (/etc/postgresql, port 5432) is used or touched.
 */
public final class PgServer {
    /** The superuser of the test server. */
    public static final String USER = "ffdispatch";
    private static final String SYSTEM_USER = "postgres";
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(120);
    private static PgServer shared;

    private final Path bin;
    private final Path dir;
    private final Path data;
    private final Path log;
    private final int port;
    private final String password = UUID.randomUUID().toString().replace("-", "");
    private final AtomicInteger databases = new AtomicInteger();
    private boolean running;

    private PgServer(Path bin, Path dir, int port) {
        this.bin = bin;
        this.dir = dir;
        this.data = dir.resolve("data");
        this.log = dir.resolve("server.log");
        this.port = port;
    }

    /** The server of this JVM, started on first use. */
    public static synchronized PgServer shared() throws IOException, InterruptedException {
        if (shared == null) {
            PgServer server = new PgServer(binDir(), Files.createTempDirectory("ffdispatch-pg-"), freePort());
            server.init();
            server.start();
            Runtime.getRuntime().addShutdownHook(new Thread(server::destroy, "pg-test-server-stop"));
            shared = server;
        }
        return shared;
    }

    /** The newest PostgreSQL under /usr/lib/postgresql, or why there is none. */
    static Path binDir() {
        Path root = Path.of("/usr/lib/postgresql");
        try (Stream<Path> versions = Files.list(root)) {
            return versions.filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
                .max(Comparator.comparingInt(v -> Integer.parseInt(v.getFileName().toString().replaceAll("\\D.*", "0"))))
                .map(v -> v.resolve("bin"))
                .orElseThrow(() -> new IllegalStateException("no initdb under " + root + ": apt-get install -y postgresql"));
        } catch (IOException e) {
            throw new IllegalStateException("PostgreSQL is not installed (" + root + ": " + e.getMessage()
                + "); the PostgreSQL tests need it: apt-get install -y postgresql", e);
        }
    }

    public int port() {
        return port;
    }

    public String password() {
        return password;
    }

    /** The server's version, e.g. "15.14". */
    public String version() throws SQLException {
        try (Connection c = connect("postgres"); Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery("SHOW server_version")) {
            rs.next();
            return rs.getString(1).split(" ")[0];
        }
    }

    /** A new empty database; its name. */
    public String newDatabase() throws SQLException {
        String name = "t" + ProcessHandle.current().pid() + "_" + databases.incrementAndGet();
        try (Connection c = connect("postgres"); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        }
        return name;
    }

    /** {@code postgresql://ffdispatch:<password>@127.0.0.1:<port>/<db>}: state.database with the password in it. */
    public String url(String database) {
        return "postgresql://" + USER + ":" + password + "@127.0.0.1:" + port + "/" + database;
    }

    /** The same URL without the password (then state.password_file or PGPASSWORD gives it). */
    public String urlWithoutPassword(String database) {
        return "postgresql://" + USER + "@127.0.0.1:" + port + "/" + database;
    }

    /** A plain JDBC connection as the superuser, for a test's own checks. */
    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database, USER, password);
    }

    /**
     * Runs {@code sql} (one number) until it gives {@code expected} or {@code timeout} passes;
     * returns the last value, for the caller's assertion.
     */
    public long awaitCount(String database, String sql, long expected, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        long value;
        do {
            try (Connection c = connect(database); Statement st = c.createStatement();
                 java.sql.ResultSet rs = st.executeQuery(sql)) {
                rs.next();
                value = rs.getLong(1);
            }
            if (value == expected) {
                return value;
            }
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        return value;
    }

    /** Starts the server (again, after {@link #stop}) and waits until it takes connections. */
    public synchronized void start() throws IOException, InterruptedException {
        if (!running) {
            run(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", log.toString(), "-w", "-t", "60",
                "-o", "-c listen_addresses=127.0.0.1 -c port=" + port + " -c unix_socket_directories=" + dir
                    + " -c max_connections=200 -c shared_buffers=32MB", "start");
            running = true;
        }
    }

    /** Stops the server the way an admin would ({@code pg_ctl stop -m fast}): open connections break. */
    public synchronized void stop() throws IOException, InterruptedException {
        if (running) {
            run(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-w", "-t", "60", "-m", "fast", "stop");
            running = false;
        }
    }

    /** The server's log, for failure messages. */
    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private void init() throws IOException, InterruptedException {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        Path pwfile = dir.resolve("pwfile");
        Files.writeString(pwfile, password + "\n", StandardCharsets.UTF_8);
        if (TestLogins.isRoot()) {
            UserPrincipal owner = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(SYSTEM_USER);
            Files.setOwner(dir, owner);
            Files.setOwner(pwfile, owner);
        }
        run(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", USER, "--pwfile=" + pwfile,
            "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync");
        Files.delete(pwfile);
    }

    private void destroy() {
        try {
            if (running) {
                run(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-w", "-t", "30", "-m", "immediate", "stop");
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            System.err.println("pg test server: stop failed: " + e);
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            System.err.println("pg test server: could not delete " + dir + ": " + e);
        }
    }

    /** Runs a PostgreSQL program, as the postgres user when we are root (initdb and postgres refuse root). */
    private void run(String... command) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>();
        if (TestLogins.isRoot()) {
            argv.addAll(List.of("runuser", "-u", SYSTEM_USER, "--"));
        }
        argv.addAll(List.of(command));
        Path out = Files.createTempFile("ffdispatch-pg-cmd", ".out");
        try {
            Process p = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile()).start();
            p.getOutputStream().close();
            if (!p.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", argv) + " did not finish within " + COMMAND_TIMEOUT);
            }
            if (p.exitValue() != 0) {
                throw new IOException(String.join(" ", argv) + " failed (exit " + p.exitValue() + "): "
                    + Files.readString(out).strip() + "\nserver log:\n" + log());
            }
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "PgServer[port=%d, dir=%s]", port, dir);
    }
}
