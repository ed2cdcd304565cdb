package dev.ffdispatch.doctor;

import dev.ffdispatch.config.Config;
import dev.ffdispatch.ssh.HostKeys;
import dev.ffdispatch.ssh.KeyFiles;
import dev.ffdispatch.ssh.KnownHostsSource;
import dev.ffdispatch.ssh.SshPool;
import dev.ffdispatch.ssh.SshSettings;
import dev.ffdispatch.ssh.SshTarget;
import dev.ffdispatch.store.HostRecord;
import dev.ffdispatch.store.Store;
import dev.ffdispatch.store.StoreException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The checks that need no daemon: the database, the local ffmpeg, the directories Jellyfin
 * shares with the workers, and every worker in the database.
 */
public final class Doctor {
    /** One remote check, a fresh login included. */
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);
    /** Where the Debian package, the official image and the linuxserver.io image put Jellyfin's transcodes. */
    static final List<Path> DEFAULT_TRANSCODES = List.of(Path.of("/var/cache/jellyfin/transcodes"), Path.of("/cache/transcodes"),
        Path.of("/config/cache/transcodes"));

    private final Config config;
    private final Map<String, String> env;

    /** @param env the environment Jellyfin's TMPDIR is read from (this process's, usually) */
    public Doctor(Config config, Map<String, String> env) {
        this.config = config;
        this.env = env;
    }

    /**
     * The transcode directory: the given one, else the first that exists of the running Jellyfin's
     * and the install defaults; empty if none.
     */
    public List<Path> transcodeDirs(Path given, List<Path> jellyfins) {
        if (given != null) {
            return List.of(given);
        }
        return candidates(jellyfins).stream().filter(Files::isDirectory).limit(1).toList();
    }

    private static List<Path> candidates(List<Path> jellyfins) {
        Set<Path> all = new LinkedHashSet<>(jellyfins);
        all.addAll(DEFAULT_TRANSCODES);
        return List.copyOf(all);
    }

    /**
     * Directories the workers must share: the transcode dir, Jellyfin's {@code $TMPDIR/jellyfin} where
     * it exists, and the given ones.
     *
     * @param jellyfinTemp {@code $TMPDIR/jellyfin} of the running Jellyfin; when empty (none found, or its
     *     environment is closed to us), this process's TMPDIR stands in for it
     */
    public List<Path> sharedDirs(List<Path> transcodes, List<Path> given, List<Path> jellyfinTemp) {
        Set<Path> dirs = new LinkedHashSet<>(transcodes);
        List<Path> temp = jellyfinTemp.isEmpty() ? List.of(Path.of(env.getOrDefault("TMPDIR", "/tmp"), "jellyfin")) : jellyfinTemp;
        temp.stream().filter(Files::isDirectory).forEach(dirs::add);
        dirs.addAll(given);
        return List.copyOf(dirs);
    }

    public List<Check> local(List<Path> transcodes, List<Path> shared, List<Path> jellyfins) {
        List<Check> checks = new ArrayList<>();
        if (transcodes.isEmpty()) {
            checks.add(Check.warn("transcode directory", "none of " + candidates(jellyfins) + " exists here",
                "name Jellyfin's transcode path (Dashboard > Playback > Transcoding) with --transcodes <dir>"));
        }
        for (Path dir : shared) {
            if (!Files.isDirectory(dir)) {
                checks.add(Check.fail("local dir " + dir, "does not exist on this machine",
                    "create it or correct the path; Jellyfin and the workers must see the same files"));
            }
        }
        String mounts = Filesystems.procMounts();
        for (Path dir : transcodes) {
            if (Files.isDirectory(dir)) {
                checks.add(Filesystems.transcodeDir(dir, mounts));
            }
        }
        return checks;
    }

    /** The local ffmpeg the workers are compared with: {@code local.ffmpeg}, else ffmpeg on PATH. */
    public String localFfmpeg() {
        if (!config.local().ffmpeg().isBlank()) {
            return config.local().ffmpeg();
        }
        for (String dir : env.getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "ffmpeg");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }

    public List<Check> hosts(List<Path> shared) {
        List<Check> checks = new ArrayList<>();
        Store store;
        try {
            store = Store.open(config.state(), env, Store.CLI_CONNECTIONS);
        } catch (StoreException e) {
            checks.add(Check.fail("database", e.getMessage(), e.kind() == StoreException.Kind.UNAVAILABLE
                ? "start the PostgreSQL server or fix state.database; meanwhile a running daemon keeps its jobs going,"
                    + " keeps job history in memory and places new jobs as state.when_away says (ffdispatch status)"
                : "run as the daemon's user, or fix state.database"));
            return checks;
        }
        try (store) {
            return hosts(store, shared, checks);
        }
    }

    private List<Check> hosts(Store store, List<Path> shared, List<Check> checks) {
        List<HostRecord> hosts;
        try {
            hosts = store.hosts();
            checks.add(Check.ok("database", store.location() + (store.shared()
                ? " (PostgreSQL, shared by every server of the pool; this one is '" + config.state().effectiveServerName() + "')"
                : "") + ": " + hosts.size() + " host(s)"));
        } catch (StoreException e) {
            checks.add(Check.fail("database", e.getMessage(), "run as the daemon's user, or fix state.database"));
            return checks;
        }
        if (hosts.isEmpty()) {
            checks.add(Check.warn("hosts", "no worker hosts: every job runs locally", "ffdispatch host add <address>"));
            return checks;
        }
        String program = localFfmpeg();
        String localVersion = program == null ? null : FfmpegVersion.local(program, COMMAND_TIMEOUT.toSeconds());
        checks.add(program == null || localVersion == null
            ? Check.warn("local ffmpeg", program == null ? "no ffmpeg on PATH" : program + " prints no version",
                "install jellyfin-ffmpeg here (the fallback and Jellyfin's own checks need it), or set local.ffmpeg")
            : Check.ok("local ffmpeg", program + " " + localVersion));
        KnownHostsSource keys = store.knownHosts(config.state().knownHosts());
        try (SshPool pool = new SshPool(new SshSettings(keys, config.ssh().identities(),
                config.ssh().connectTimeout(), config.ssh().connectTimeout(), config.ssh().heartbeat(),
                config.ssh().idleTimeout(), 1))) {
            try {
                KeyFiles.verify(config.ssh().identities());
                checks.add(Check.ok("ssh identity", config.ssh().identities().toString()));
            } catch (IOException e) {
                String fix = e.getMessage().contains("chmod") ? e.getMessage().substring(e.getMessage().lastIndexOf("chmod"))
                    : "create it: ssh-keygen -t ed25519 -N '' -f " + config.ssh().identities().get(0)
                        + ", then add the .pub file to each worker's authorized_keys";
                checks.add(Check.fail("ssh identity", e.getMessage(), fix));
                return checks;
            }
            pool.start();
            HostChecks hostChecks = new HostChecks(pool, new HostKeys(keys), COMMAND_TIMEOUT, localVersion);
            for (HostRecord host : hosts) {
                SshTarget target = new SshTarget(host.name(), host.address(), host.port(), host.login(config.ssh().user()));
                checks.addAll(hostChecks.check(host, target, shared));
            }
        }
        return checks;
    }
}
