package dev.ffdispatch;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The logins that OpenSSH workers in tests and in the bench use, so that nothing depends on the
 * shell start-up files of whoever runs them (root's ~/.bashrc may run pyenv for seconds):
 * <ul>
 * <li>{@link #FAST}: a dedicated unprivileged user whose login shell is {@code /bin/sh}, as
 * docs/workers.md tells users to set up a worker;</li>
 * <li>{@link #SLOW}: a dedicated unprivileged user whose login is slow on purpose: login shell
 * {@code /bin/bash}, and a {@code ~/.bashrc} that sleeps for {@code $FFDISPATCH_TEST_LOGIN_DELAY}
 * seconds. An sshd gives the delay with {@link #slowLoginConfig}; bash reads ~/.bashrc for every
 * command sshd starts, exactly as it does for a real worker's pyenv or conda set-up.</li>
 * </ul>
 * Both are created when missing (this needs root; an exclusive lock on a file makes two JVMs
 * creating them at once safe), and repaired when their shell or home differ. As another user
 * nothing can be created and a non-root sshd serves only its own user: then {@link #workerUser}
 * is the current user and the slow login is unavailable ({@link #slowLoginUnavailable} says why).
 */
public final class TestLogins {
    /** The /bin/sh login. */
    public static final String FAST = "ffdispatch-test";
    /** The login that sleeps in ~/.bashrc. */
    public static final String SLOW = "ffdispatch-test-slow";
    /** The variable the slow login's ~/.bashrc sleeps for (seconds, as sleep(1) takes them). */
    public static final String DELAY_ENV = "FFDISPATCH_TEST_LOGIN_DELAY";
    /** The slow login's home: the fixture makes it, it holds only the ~/.bashrc. */
    public static final Path SLOW_HOME = Path.of("/var/tmp", SLOW);
    static final String SLOW_BASHRC = "# ffdispatch test fixture: a login that is slow on purpose, like a worker whose\n"
        + "# ~/.bashrc runs pyenv. bash reads this file for every command sshd starts; the\n"
        + "# test's sshd sets the delay with SetEnv " + DELAY_ENV + "=<seconds>.\n"
        + "sleep \"${" + DELAY_ENV + ":-0}\"\n";
    private static final Path LOCK = Path.of(System.getProperty("java.io.tmpdir"), "ffdispatch-test-logins.lock");
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
    private static boolean ready;

    private TestLogins() {
    }

    public static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** The login for OpenSSH workers: {@link #FAST} as root (created when missing), else the current user. */
    public static String workerUser() {
        if (!isRoot()) {
            return System.getProperty("user.name");
        }
        ensureCreated();
        return FAST;
    }

    /** Why the slow login cannot be had here, or empty when {@link #slowUser} works. */
    public static Optional<String> slowLoginUnavailable() {
        return isRoot() ? Optional.empty() : Optional.of("the slow-login user " + SLOW + " needs root: only root can"
            + " create it and only a root sshd can log in as another user (running as '"
            + System.getProperty("user.name") + "')");
    }

    /** The slow login (created when missing); only as root, see {@link #slowLoginUnavailable}. */
    public static String slowUser() {
        slowLoginUnavailable().ifPresent(reason -> {
            throw new IllegalStateException(reason);
        });
        ensureCreated();
        return SLOW;
    }

    /** The sshd_config line that makes the slow login sleep {@code delay} before each command. */
    public static String slowLoginConfig(Duration delay) {
        return "SetEnv " + DELAY_ENV + "=" + String.format(java.util.Locale.ROOT, "%.3f", delay.toMillis() / 1000.0);
    }

    /**
     * Lets the worker logins use {@code dir}: it becomes readable, writable and traversable by
     * all (a test's scratch directory only), and its parents up to the temporary directory become
     * traversable (JUnit makes {@code @TempDir} 0700). Returns {@code dir}, created if missing.
     */
    public static Path shareWithLogins(Path dir) throws IOException {
        Path shared = Files.createDirectories(dir).toAbsolutePath();
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toRealPath();
        for (Path p = shared.toRealPath().getParent(); p != null && p.startsWith(tmp) && !p.equals(tmp); p = p.getParent()) {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
            perms.add(PosixFilePermission.GROUP_EXECUTE);
            perms.add(PosixFilePermission.OTHERS_EXECUTE);
            Files.setPosixFilePermissions(p, perms);
        }
        return dir;
    }

    /** Creates or repairs both logins once per JVM, under a file lock shared with other JVMs. */
    private static synchronized void ensureCreated() {
        if (ready) {
            return;
        }
        try (FileChannel channel = FileChannel.open(LOCK, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = channel.lock()) {
            ensureUser(FAST, "/bin/sh", Path.of("/"));
            ensureSlowHome();
            ensureUser(SLOW, "/bin/bash", SLOW_HOME);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the test logins " + FAST + " and " + SLOW + ": " + e.getMessage(), e);
        }
        ready = true;
    }

    /** The home (root's, 0755) and ~/.bashrc (0644): the user reads them, cannot change them. */
    private static void ensureSlowHome() throws IOException {
        Files.createDirectories(SLOW_HOME);
        Files.setPosixFilePermissions(SLOW_HOME, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path bashrc = SLOW_HOME.resolve(".bashrc");
        if (!Files.exists(bashrc) || !Files.readString(bashrc).equals(SLOW_BASHRC)) {
            Files.writeString(bashrc, SLOW_BASHRC, StandardCharsets.UTF_8);
        }
        Files.setPosixFilePermissions(bashrc, PosixFilePermissions.fromString("rw-r--r--"));
    }

    /**
     * A system user with this shell and home, and password field '*': no password, but not
     * locked ('!'), which sshd would refuse even for key logins.
     */
    private static void ensureUser(String name, String shell, Path home) throws IOException {
        Optional<String[]> entry = passwdEntry(name);
        if (entry.isEmpty()) {
            run("/usr/sbin/useradd", "--system", "--no-create-home", "--home-dir", home.toString(), "--shell", shell,
                "--password", "*", name);
        } else if (!entry.get()[5].equals(home.toString()) || !entry.get()[6].equals(shell)) {
            run("/usr/sbin/usermod", "--home", home.toString(), "--shell", shell, "--password", "*", name);
        }
    }

    private static Optional<String[]> passwdEntry(String name) throws IOException {
        for (String line : Files.readAllLines(Path.of("/etc/passwd"), StandardCharsets.UTF_8)) {
            String[] fields = line.split(":", -1);
            if (fields.length >= 7 && fields[0].equals(name)) {
                return Optional.of(fields);
            }
        }
        return Optional.empty();
    }

    private static void run(String... command) throws IOException {
        List<String> argv = new ArrayList<>(List.of(command));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        try {
            p.getOutputStream().close();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS) || p.exitValue() != 0) {
                throw new IOException(String.join(" ", argv) + " failed: " + output.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", argv), e);
        }
    }
}
