package dev.ffdispatch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ffdispatch.store.HostEvent;
import dev.ffdispatch.store.HostRecord;
import dev.ffdispatch.store.JobRecord;
import dev.ffdispatch.store.Store;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ffdispatch status}: where every job runs and why, from the daemon's live view; when the
 * daemon is down, says so, shows what the store knows, and exits 3.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = {"Show the hosts (state and why, weight, load, score, poll latency, last error) and the running jobs.",
        "Exits 3 when the daemon is not running (then shows what the database knows)."})
final class StatusCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final int WHY_CHARS = 60;
    private static final int COMMAND_CHARS = 70;
    /** ANSI: cursor home, clear screen; only sent to a terminal. */
    private static final String CLEAR = "\033[H\033[2J";

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print one JSON object: daemon, hosts, jobs.")
    boolean json;

    @Option(names = "--watch", description = "Redraw every --interval until Ctrl-C.")
    boolean watch;

    @Option(names = "--count", paramLabel = "<n>", description = "With --watch: stop after n rounds.")
    Integer count;

    @Option(names = "--interval", paramLabel = "<duration>", defaultValue = "2s",
        description = "With --watch: time between rounds (default: ${DEFAULT-VALUE}).")
    String interval;

    private final Clock clock = Clock.systemUTC();

    @Override
    public Integer call() throws InterruptedException {
        CliContext ctx = CliContext.of(spec);
        if (count != null && count < 1) {
            throw new CliException(AdminExitCodes.INVALID_INPUT, "--count " + count + " must be at least 1");
        }
        Duration pause = parseInterval();
        boolean terminal = System.console() != null && !json;
        int code = AdminExitCodes.OK;
        for (int round = 1; ; round++) {
            if (watch && terminal) {
                ctx.out().print(CLEAR);
            }
            code = once(ctx);
            ctx.out().flush();
            if (!watch || (count != null && round >= count)) {
                return code;
            }
            Thread.sleep(pause.toMillis());
            if (!terminal && !json) {
                ctx.out().println();
            }
        }
    }

    private Duration parseInterval() {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,6})(ms|s)").matcher(interval.strip());
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw new CliException(AdminExitCodes.INVALID_INPUT, "--interval '" + interval + "' is not a positive duration; e.g. 2s, 500ms");
        }
        long n = Long.parseLong(m.group(1));
        return m.group(2).equals("ms") ? Duration.ofMillis(n) : Duration.ofSeconds(n);
    }

    private int once(CliContext ctx) {
        DaemonClient.Probe probe = DaemonClient.status(ctx.config().daemon().socket(), DaemonClient.TIMEOUT);
        ObjectNode view;
        if (probe.up()) {
            view = (ObjectNode) probe.status();
            ((ObjectNode) view.get("daemon")).put("running", true);
        } else {
            view = fromStore(ctx, probe);
        }
        if (json) {
            printJson(ctx.out(), view);
        } else {
            printText(ctx.out(), view, probe);
        }
        return probe.up() ? AdminExitCodes.OK : AdminExitCodes.UNEXPECTED_STATE;
    }

    /** What the database knows when the daemon cannot tell: hosts, their last event, jobs left running. */
    private ObjectNode fromStore(CliContext ctx, DaemonClient.Probe probe) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode daemon = root.putObject("daemon");
        daemon.put("running", false);
        daemon.put("socket", ctx.config().daemon().socket().toString());
        daemon.put("problem", probe.problem());
        daemon.put("fix", probe.fix());
        ArrayNode hosts = root.putArray("hosts");
        ArrayNode jobs = root.putArray("jobs");
        Instant now = clock.instant();
        try (Store store = ctx.openStore()) {
            for (HostRecord h : store.hosts()) {
                ObjectNode o = hosts.addObject();
                o.put("id", h.id());
                o.put("name", h.name());
                o.put("address", h.address());
                o.putNull("state");
                List<HostEvent> last = store.hostEvents(h.name(), 1);
                o.put("reason", last.isEmpty() ? (h.drained() ? "drained" : "never probed")
                    : "last seen " + last.get(0).to() + " at " + last.get(0).at() + reason(last.get(0)));
                o.put("weight", h.weight());
                o.put("max_jobs", h.maxJobs());
                o.put("drained", h.drained());
            }
            for (JobRecord j : store.runningJobs()) {
                ObjectNode o = jobs.addObject();
                o.put("id", j.id());
                o.put("host", j.host());
                o.put("tool", j.tool());
                o.put("started", j.started().toString());
                o.put("age_s", Duration.between(j.started(), now).toSeconds());
                o.put("pid", j.pid());
                o.put("command", j.command());
            }
        }
        return root;
    }

    private static String reason(HostEvent event) {
        return event.reason() == null ? "" : " (" + event.reason() + ")";
    }

    private static void printJson(PrintWriter out, JsonNode view) {
        try {
            out.println(JSON.writeValueAsString(view));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    private static void printText(PrintWriter out, JsonNode view, DaemonClient.Probe probe) {
        JsonNode daemon = view.get("daemon");
        if (probe.up()) {
            out.println("daemon: running, pid " + daemon.path("pid").asText() + ", since " + daemon.path("started").asText()
                + ", socket " + daemon.path("socket").asText());
        } else {
            out.println("daemon: NOT RUNNING: " + probe.problem());
            out.println("        fix: " + probe.fix());
            out.println("        (hosts and jobs below are what the database knows; live state is unknown)");
        }
        out.println();
        TextTable hosts = new TextTable("HOST", "STATE", "WHY", "WEIGHT", "OWN/FOREIGN", "SCORE", "MAX_JOBS", "POLL",
            "LAST_ERROR");
        for (JsonNode h : view.get("hosts")) {
            hosts.row(h.path("name").asText(), text(h, "state", "?"), TextTable.cut(text(h, "reason", null), WHY_CHARS),
                h.path("weight").asText(), h.has("own") ? h.path("own").asText() + "/" + h.path("foreign").asText() : null,
                text(h, "score", null), text(h, "max_jobs", null),
                h.hasNonNull("latency_ms") ? h.get("latency_ms").asText() + "ms" : null,
                TextTable.cut(text(h, "last_error", null), WHY_CHARS));
        }
        if (hosts.isEmpty()) {
            out.println("no hosts; add one: ffdispatch host add <address>");
        } else {
            hosts.print(out);
        }
        out.println();
        JsonNode jobList = view.get("jobs");
        if (jobList.isEmpty()) {
            out.println(probe.up() ? "no jobs running" : "no jobs recorded as running");
            return;
        }
        TextTable jobs = new TextTable("JOB", "HOST", "TOOL", "AGE", "PID", "COMMAND");
        for (JsonNode j : jobList) {
            jobs.row(j.path("id").asText(), j.path("host").asText(), j.path("tool").asText(),
                TextTable.age(j.path("age_s").asLong()), text(j, "pid", null),
                TextTable.cut(text(j, "command", ""), COMMAND_CHARS));
        }
        jobs.print(out);
    }

    private static String text(JsonNode node, String field, String absent) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? absent : v.asText();
    }
}
