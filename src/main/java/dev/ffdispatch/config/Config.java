package dev.ffdispatch.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ffdispatch.posix.PosixShell;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The whole configuration, immutable. Built by {@link ConfigLoader}; {@link #validate()} has run on
 * every instance the loader returns.
 */
public record Config(DaemonConfig daemon, StateConfig state, SshConfig ssh, LocalConfig local, JobsConfig jobs,
                     PollConfig poll, RoutingConfig routing, MetricsConfig metrics, LogConfig log) {

    /** Accepted values of {@code log.level}. */
    public static final List<String> LOG_LEVELS = List.of("error", "warn", "info", "debug", "trace");
    /** Accepted values of {@code routing.local_tools}. */
    public static final List<String> TOOLS = List.of("ffmpeg", "ffprobe");
    /** A Unix socket path must fit sockaddr_un.sun_path (108 bytes on Linux, including the NUL). */
    static final int MAX_SOCKET_PATH_BYTES = 107;
    static final int MAX_SESSIONS_PER_HOST = 64;

    static final Path DEFAULT_SOCKET = Path.of("/run/ffdispatch/ffdispatch.sock");
    static final Path DEFAULT_STATE_DIR = Path.of("/var/lib/ffdispatch");
    static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(30);
    static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(15);
    static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(10);
    static final int DEFAULT_MAX_SESSIONS_PER_HOST = 4;
    static final Duration DEFAULT_KILL_GRACE = Duration.ofSeconds(5);
    /** A worker's login shell with pyenv or conda in its start-up files takes 0.5-2.5 s; leave room under load. */
    static final Duration DEFAULT_LOGIN_SHELL_TIMEOUT = Duration.ofSeconds(10);
    /** A probe is one line each way on the worker's open link: cheap enough for every second. */
    static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);
    static final Duration DEFAULT_POLL_TIMEOUT = Duration.ofSeconds(2);
    static final Duration DEFAULT_BACKOFF_MAX = Duration.ofSeconds(60);
    /** A machine takes about a minute to boot: one magic packet a minute is enough, and harmless. */
    static final Duration DEFAULT_WAKE_INTERVAL = Duration.ofMinutes(1);

    static final Duration DEFAULT_LEASE = Duration.ofSeconds(15);

    static final Duration DEFAULT_RETENTION = Duration.ofDays(30);
    /** Shorter would prune what an admin still looks at after a weekend. */
    static final Duration MIN_RETENTION = Duration.ofHours(1);

    private static final Pattern LISTEN = Pattern.compile("(.+):(\\d{1,5})");

    /** The documented defaults of a system install (/run, /var/lib). */
    public static Config defaults() {
        return defaults(DEFAULT_SOCKET, DEFAULT_STATE_DIR);
    }

    /** Defaults with every file (socket, database, known_hosts, key) under {@code home}. */
    public static Config defaultsForHome(Path home) {
        return defaults(home.resolve("ffdispatch.sock"), home);
    }

    private static Config defaults(Path socket, Path stateDir) {
        return new Config(
                new DaemonConfig(socket, "", List.of(), List.of(), DEFAULT_SHUTDOWN_GRACE),
                new StateConfig(stateDir.resolve("ffdispatch.db").toString(), stateDir.resolve("known_hosts"), null, "",
                        DEFAULT_LEASE, StateConfig.LAST_KNOWN),
                new SshConfig("ffdispatch", List.of(stateDir.resolve("id_ed25519")), DEFAULT_CONNECT_TIMEOUT,
                        DEFAULT_LOGIN_SHELL_TIMEOUT, DEFAULT_HEARTBEAT, DEFAULT_IDLE_TIMEOUT,
                        DEFAULT_MAX_SESSIONS_PER_HOST),
                new LocalConfig(true, "", ""),
                new JobsConfig(DEFAULT_KILL_GRACE, List.of("TZ", "LANG", "LC_ALL"), Map.of(), DEFAULT_RETENTION),
                new PollConfig(DEFAULT_POLL_INTERVAL, DEFAULT_POLL_TIMEOUT, DEFAULT_BACKOFF_MAX, DEFAULT_WAKE_INTERVAL),
                new RoutingConfig(List.of(), List.of(), true),
                new MetricsConfig("", false),
                new LogConfig("info", null));
    }

    /**
     * Rejects values that are each well-formed but do not work (together).
     *
     * @throws ConfigException naming the key (the loader adds file and line)
     */
    public void validate() {
        present("daemon.socket", daemon.socket());
        present("state.known_hosts", state.knownHosts());
        state.validate();
        positive("daemon.shutdown_grace", daemon.shutdownGrace());
        positive("ssh.connect_timeout", ssh.connectTimeout());
        positive("ssh.login_shell_timeout", ssh.loginShellTimeout());
        positive("ssh.heartbeat", ssh.heartbeat());
        positive("ssh.idle_timeout", ssh.idleTimeout());
        positive("jobs.kill_grace", jobs.killGrace());
        positive("poll.interval", poll.interval());
        positive("poll.timeout", poll.timeout());
        positive("poll.backoff_max", poll.backoffMax());
        positive("poll.wake_interval", poll.wakeInterval());
        validateDaemon();
        validateSsh();
        validatePoll();
        validateJobs();
        validateRouting();
        validateMetricsAndLog();
    }

    private void validateDaemon() {
        int socketBytes = daemon.socket().toString().getBytes(StandardCharsets.UTF_8).length;
        if (socketBytes > MAX_SOCKET_PATH_BYTES) {
            throw new ConfigException("daemon.socket", "path '" + daemon.socket() + "' is " + socketBytes
                    + " bytes long; a Unix socket path must be shorter than 108 bytes: choose a shorter directory");
        }
        noBlanks("daemon.allowed_users", daemon.allowedUsers());
        noBlanks("daemon.allowed_groups", daemon.allowedGroups());
    }

    private void validateSsh() {
        if (ssh.user().isBlank()) {
            throw new ConfigException("ssh.user", "must not be empty: name the login user on the workers");
        }
        int sessions = ssh.maxSessionsPerHost();
        if (sessions < 1 || sessions > MAX_SESSIONS_PER_HOST) {
            throw new ConfigException("ssh.max_sessions_per_host",
                    "value " + sessions + " is out of range; accepted: 1.." + MAX_SESSIONS_PER_HOST);
        }
        if (ssh.heartbeat().compareTo(ssh.idleTimeout()) >= 0) {
            throw new ConfigException("ssh.heartbeat", "heartbeat " + Durations.format(ssh.heartbeat())
                    + " must be shorter than ssh.idle_timeout " + Durations.format(ssh.idleTimeout()));
        }
    }

    /**
     * poll.timeout may exceed poll.interval: a probe in flight is never stacked with another, the
     * next one just waits for it.
     */
    private void validatePoll() {
        if (poll.backoffMax().compareTo(poll.interval()) < 0) {
            throw new ConfigException("poll.backoff_max", "backoff_max " + Durations.format(poll.backoffMax())
                    + " must not be shorter than poll.interval " + Durations.format(poll.interval()));
        }
    }

    private void validateJobs() {
        if (jobs.retention().compareTo(MIN_RETENTION) < 0) {
            throw new ConfigException("jobs.retention", "duration " + Durations.format(jobs.retention())
                    + " is shorter than " + Durations.format(MIN_RETENTION) + "; job history is kept at least that long (e.g. 30d)");
        }
        for (String name : jobs.envPassthrough()) {
            envName("jobs.env_passthrough", name);
        }
        for (String name : jobs.env().keySet()) {
            envName("jobs.env", name);
        }
    }

    private void validateRouting() {
        for (String tool : routing.localTools()) {
            if (!TOOLS.contains(tool)) {
                throw new ConfigException("routing.local_tools",
                        "value '" + tool + "' is not a tool; accepted: " + String.join(", ", TOOLS));
            }
        }
        for (String regex : routing.localPatterns()) {
            try {
                Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                throw new ConfigException("routing.local_patterns",
                        "'" + regex + "' is not a valid Java regex: " + e.getDescription() + " at index " + e.getIndex());
            }
        }
    }

    private void validateMetricsAndLog() {
        String listen = metrics.listen();
        if (!listen.isEmpty()) {
            var m = LISTEN.matcher(listen);
            if (!m.matches() || Integer.parseInt(m.group(2)) > 65535) {
                throw new ConfigException("metrics.listen",
                        "value '" + listen + "' is not host:port (e.g. 127.0.0.1:9464); \"\" turns metrics off");
            }
            if (!metrics.allowRemote() && !isLoopback(m.group(1))) {
                throw new ConfigException("metrics.listen", "value '" + listen + "' is not a loopback address, so other"
                        + " machines could read /metrics (host names, job counts; no authentication). Use 127.0.0.1:<port>"
                        + " behind a reverse proxy, or set metrics.allow_remote: true and firewall the port");
            }
        }
        if (!LOG_LEVELS.contains(log.level())) {
            throw new ConfigException("log.level",
                    "value '" + log.level() + "' is not a level; accepted: " + String.join(", ", LOG_LEVELS));
        }
    }

    /** Literal loopback addresses and "localhost"; any other name could resolve anywhere. */
    static boolean isLoopback(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (h.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!h.matches("[0-9.]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*")) {
            return false; // a host name: no DNS look-up at config time
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static void positive(String key, Duration d) {
        if (d.isNegative() || d.isZero()) {
            throw new ConfigException(key, "duration " + Durations.format(d) + " must be positive (e.g. 3s)");
        }
    }

    private static void present(String key, Path path) {
        if (path == null) {
            throw new ConfigException(key, "must not be empty: give a file path");
        }
    }

    private static void noBlanks(String key, List<String> values) {
        if (values.stream().anyMatch(String::isBlank)) {
            throw new ConfigException(key, "contains an empty name: remove it");
        }
    }

    private static void envName(String key, String name) {
        if (!PosixShell.isName(name)) {
            throw new ConfigException(key, "'" + name + "' is not an environment variable name ([A-Za-z_][A-Za-z0-9_]*)");
        }
    }

    /**
     * The effective configuration, one readable line per section, e.g.
     * {@code poll: interval=3s, timeout=2s, backoff_max=1m}. Secrets are masked: a password in
     * {@code state.database} shows as {@code ***}.
     */
    public String describe() {
        JsonNode tree = ConfigMapper.toTree(this);
        ((com.fasterxml.jackson.databind.node.ObjectNode) tree.get("state")).put("database",
                DatabaseLocation.masked(state.database()));
        List<String> lines = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = tree.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> section = it.next();
            List<String> parts = new ArrayList<>();
            section.getValue().fields().forEachRemaining(e -> parts.add(e.getKey() + "=" + render(e.getValue())));
            lines.add(section.getKey() + ": " + String.join(", ", parts));
        }
        return String.join("\n", lines);
    }

    private static String render(JsonNode value) {
        if (value.isArray()) {
            List<String> items = new ArrayList<>();
            value.forEach(v -> items.add(v.asText()));
            return "[" + String.join(", ", items) + "]";
        }
        if (value.isObject()) {
            List<String> items = new ArrayList<>();
            value.fields().forEachRemaining(e -> items.add(e.getKey() + "=" + e.getValue().asText()));
            return "{" + String.join(", ", items) + "}";
        }
        return value.asText();
    }
}
