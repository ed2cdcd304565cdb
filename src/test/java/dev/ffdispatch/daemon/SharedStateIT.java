package dev.ffdispatch.daemon;

import dev.ffdispatch.PgServer;
import dev.ffdispatch.TestTimeouts;
import dev.ffdispatch.cli.CliRunner;
import dev.ffdispatch.demo.LoopbackWorker;
import dev.ffdispatch.shim.ShimClient;
import dev.ffdispatch.shim.ShimProcess;
import dev.ffdispatch.ssh.KeyFiles;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two Jellyfin servers sharing one worker pool: two real daemon processes (two sockets, two
 * homes, two SSH keys) on one real PostgreSQL server, two in-process SSH workers (weights 4 and 2)
 * that accept both keys. Hosts are added and trusted through the CLI of one server only.
 */
class SharedStateIT {
    /** The job waits for one line on stdin: it stays alive until the test lets it go. */
    private static final List<String> HOLD = List.of("-c", "read line; echo done");
    private static final Duration LEASE = Duration.ofSeconds(3);
    private static final String LIVE_ROWS = "SELECT count(*) FROM reservations r JOIN daemons d ON d.run_id = r.run_id"
        + " WHERE d.lease_until > CAST(extract(epoch FROM clock_timestamp()) * 1000 AS BIGINT)";

    @TempDir
    Path dir;
    private PgServer pg;
    private String database;
    private final List<LoopbackWorker> workers = new ArrayList<>();
    private final Map<String, Map<String, String>> envs = new HashMap<>();
    private DaemonProcess one;
    private DaemonProcess two;
    private final List<ShimProcess> shims = new ArrayList<>();

    @BeforeEach
    void twoServersOnePool() throws Exception {
        pg = PgServer.shared();
        database = pg.newDatabase();
        Path homeOne = dir.resolve("jf1");
        Path homeTwo = dir.resolve("jf2");
        // jf1 has the password in the URL, jf2 gets it from PGPASSWORD, as a service's environment file would.
        envs.put("jf1", env(homeOne, "jf1", pg.url(database), Map.of()));
        envs.put("jf2", env(homeTwo, "jf2", pg.urlWithoutPassword(database), Map.of("PGPASSWORD", pg.password())));
        KeyFiles.ensureIdentity(homeOne.resolve("id_ed25519"));
        KeyFiles.ensureIdentity(homeTwo.resolve("id_ed25519"));
        for (String name : List.of("a", "b")) {
            LoopbackWorker w = LoopbackWorker.start(name, dir.resolve("workers/" + name), KeyFiles.publicKey(homeOne.resolve("id_ed25519")));
            w.authorize(KeyFiles.publicKey(homeTwo.resolve("id_ed25519")));
            workers.add(w);
        }
        String user = System.getProperty("user.name");
        cli("jf1", "host", "add", "127.0.0.1", "--name", "a", "--port", String.valueOf(workers.get(0).port()), "--weight", "4",
            "--user", user, "--ffmpeg", "/bin/sh");
        cli("jf1", "host", "add", "127.0.0.1", "--name", "b", "--port", String.valueOf(workers.get(1).port()), "--weight", "2",
            "--user", user, "--ffmpeg", "/bin/sh");
        cli("jf1", "host", "trust", "a", "--yes");
        cli("jf1", "host", "trust", "b", "--yes");
        Path jar = Path.of(System.getProperty("ffdispatch.jar", "target/ffdispatch.jar"));
        one = new DaemonProcess(jar, homeOne, envs.get("jf1"));
        two = new DaemonProcess(jar, homeTwo, envs.get("jf2"));
        one.start(TestTimeouts.LONG);
        two.start(TestTimeouts.LONG);
        awaitUp(one, "a", "b");
        awaitUp(two, "a", "b"); // added and trusted through jf1 only: jf2 reads both from the shared state
    }

    private static Map<String, String> env(Path home, String server, String url, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(Map.of("FFDISPATCH_HOME", home.toString(),
            "FFDISPATCH_STATE_DATABASE", url, "FFDISPATCH_STATE_SERVER_NAME", server,
            "FFDISPATCH_STATE_LEASE", LEASE.toSeconds() + "s", "FFDISPATCH_POLL_INTERVAL", "10m",
            "FFDISPATCH_POLL_TIMEOUT", "10s", "FFDISPATCH_POLL_BACKOFF_MAX", "10m", "FFDISPATCH_JOBS_KILL_GRACE", "1s",
            "FFDISPATCH_DAEMON_SHUTDOWN_GRACE", "1s"));
        env.putAll(extra);
        return env;
    }

    @AfterEach
    void stop() throws Exception {
        shims.forEach(ShimProcess::close);
        pg.start();
        for (DaemonProcess d : new DaemonProcess[] {one, two}) {
            if (d != null) {
                d.close();
            }
        }
        for (LoopbackWorker w : workers) {
            w.close();
        }
    }

    @Test
    void twoPlusTwoSimultaneousJobsOnWeightsFourAndTwoLandThreeToOneEveryRun() throws Exception {
        ExecutorService starts = Executors.newFixedThreadPool(4);
        try {
            for (int run = 1; run <= 3; run++) {
                List<Callable<ShimProcess>> burst = new ArrayList<>();
                for (DaemonProcess d : List.of(one, two, one, two)) {
                    burst.add(() -> ShimProcess.client(ShimClient.NATIVE, d.socket(), dir, "ffmpeg", HOLD, Map.of()));
                }
                List<ShimProcess> running = new ArrayList<>();
                for (Future<ShimProcess> f : starts.invokeAll(burst)) {
                    running.add(f.get());
                }
                shims.addAll(running);
                awaitJobs(one, 2);
                awaitJobs(two, 2);
                Map<String, Integer> placed = new TreeMap<>();
                for (DaemonProcess d : List.of(one, two)) {
                    d.status().jobs().forEach(j -> placed.merge(j.host(), 1, Integer::sum));
                }
                assertEquals(Map.of("a", 3, "b", 1), placed, "run " + run + " (the formula: a a b a... -> 3/1)");
                for (ShimProcess shim : running) {
                    shim.writeStdin("go\n");
                    shim.closeStdin();
                }
                for (ShimProcess shim : running) {
                    assertEquals(0, shim.waitFor(TestTimeouts.LONG), shim.stderrText());
                    assertEquals("done\n", shim.stdoutText());
                }
                awaitLiveRows(0, TestTimeouts.MEDIUM);
            }
        } finally {
            starts.shutdownNow();
        }
    }

    @Test
    void aDaemonKilledWithSigkillHoldsNoPlaceOnceItsLeaseRunsOut() throws Exception {
        ShimProcess first = hold(one);
        awaitJobs(one, 1);
        ShimProcess second = hold(one);
        awaitJobs(one, 2); // a and b
        awaitLiveRows(2, TestTimeouts.SHORT);
        long killed = System.nanoTime();
        one.kill9(TestTimeouts.SHORT);
        awaitLiveRows(0, LEASE.plus(TestTimeouts.SHORT));
        Duration freed = Duration.ofNanos(System.nanoTime() - killed);
        assertTrue(freed.compareTo(LEASE.plus(TestTimeouts.scaled(Duration.ofMillis(1500)))) <= 0,
            "freed " + freed.toMillis() + " ms after SIGKILL; the lease is " + LEASE.toMillis() + " ms");
        // Had jf1's two jobs still counted (a=1, b=1), jf2's two would both go to a.
        hold(two);
        awaitJobs(two, 1);
        hold(two);
        awaitJobs(two, 2);
        Map<String, Integer> placed = new TreeMap<>();
        two.status().jobs().forEach(j -> placed.merge(j.host(), 1, Integer::sum));
        assertEquals(Map.of("a", 1, "b", 1), placed);
        assertTrue(first.waitFor(TestTimeouts.MEDIUM) != 0 && second.waitFor(TestTimeouts.MEDIUM) != 0, "their daemon died");
    }

    @Test
    void losingPostgresqlMidWayLosesNoJobAndNoHistory() throws Exception {
        String marker = "away-" + UUID.randomUUID();
        pg.stop();
        for (int i = 0; i < 3; i++) {
            ShimProcess shim = ShimProcess.client(ShimClient.JAVA, one.socket(), dir, "ffmpeg", List.of("-c", "echo " + marker + "-" + i),
                Map.of());
            shims.add(shim);
            assertEquals(0, shim.waitFor(TestTimeouts.LONG), shim.stderrText());
            assertEquals(marker + "-" + i + "\n", shim.stdoutText(), "placed on a worker with the last known state");
        }
        StatusReply.StateStatus state = one.status().state();
        assertFalse(state.online(), state.toString());
        assertTrue(state.historyPending() >= 3, state.toString());
        String status = cli("jf1", "status");
        assertTrue(status.contains("is AWAY since") && status.contains("wait in memory"), status);
        String doctor = cliAnyExit("jf1", "doctor");
        assertTrue(doctor.contains("cannot connect to database postgresql://ffdispatch:***@127.0.0.1:" + pg.port()), doctor);
        pg.start();
        long deadline = System.nanoTime() + TestTimeouts.LONG.toNanos();
        int rows = 0;
        while (System.nanoTime() < deadline && rows < 3) {
            rows = jobRows(marker);
            Thread.sleep(100);
        }
        assertEquals(3, rows, "every job's history row, written once the database was back");
        awaitOnline(one);
    }

    private ShimProcess hold(DaemonProcess daemon) throws Exception {
        ShimProcess shim = ShimProcess.client(ShimClient.NATIVE, daemon.socket(), dir, "ffmpeg", HOLD, Map.of());
        shims.add(shim);
        return shim;
    }

    private int jobRows(String marker) throws Exception {
        try (Connection c = pg.connect(database); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM jobs WHERE command LIKE ? AND state = 'ok' AND server = 'jf1' AND ended IS NOT NULL")) {
            ps.setString(1, "%" + marker + "%");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (java.sql.SQLException e) {
            return 0; // still starting
        }
    }

    private void awaitLiveRows(int expected, Duration timeout) throws Exception {
        assertEquals(expected, pg.awaitCount(database, LIVE_ROWS, expected, timeout), "live reservations of the pool");
    }

    private static void awaitJobs(DaemonProcess daemon, int n) throws Exception {
        long deadline = System.nanoTime() + TestTimeouts.LONG.toNanos();
        int live = -1;
        while (System.nanoTime() < deadline) {
            live = daemon.status().jobs().size();
            if (live == n) {
                return;
            }
            Thread.sleep(20);
        }
        assertEquals(n, live, "live jobs; log:\n" + daemon.log());
    }

    private static void awaitUp(DaemonProcess daemon, String... hosts) throws Exception {
        long deadline = System.nanoTime() + TestTimeouts.LONG.toNanos();
        while (System.nanoTime() < deadline) {
            boolean all = true;
            for (String h : hosts) {
                all &= daemon.host(h).map(s -> "up".equals(s.state())).orElse(false);
            }
            if (all) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("hosts " + List.of(hosts) + " not up: " + daemon.status() + "\nlog:\n" + daemon.log());
    }

    private static void awaitOnline(DaemonProcess daemon) throws Exception {
        long deadline = System.nanoTime() + TestTimeouts.MEDIUM.toNanos();
        while (System.nanoTime() < deadline && !Boolean.TRUE.equals(daemon.status().state().online())) {
            Thread.sleep(100);
        }
        assertTrue(daemon.status().state().online(), daemon.status().toString());
    }

    private String cli(String server, String... args) {
        CliRunner.Result r = new CliRunner(envs.get(server)).run(args);
        assertEquals(0, r.code(), String.join(" ", args) + ": " + r.out() + r.err());
        return r.out();
    }

    private String cliAnyExit(String server, String... args) {
        CliRunner.Result r = new CliRunner(envs.get(server)).run(args);
        return r.out() + "\n" + r.err();
    }
}
