package dev.ffdispatch.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ffdispatch.config.StateConfig;
import dev.ffdispatch.daemon.StatusClient;
import dev.ffdispatch.caps.Capabilities;
import dev.ffdispatch.daemon.StatusReply;
import dev.ffdispatch.daemon.StatusReply.DaemonStatus;
import dev.ffdispatch.daemon.StatusReply.HostStatus;
import dev.ffdispatch.daemon.StatusReply.JobStatus;
import dev.ffdispatch.daemon.StatusReply.LocalStatus;
import dev.ffdispatch.daemon.StatusReply.ProfileStatus;
import dev.ffdispatch.daemon.StatusReply.StateStatus;
import dev.ffdispatch.store.HostEvent;
import dev.ffdispatch.store.HostRecord;
import dev.ffdispatch.store.JobRecord;
import dev.ffdispatch.store.ProfileRecord;
import dev.ffdispatch.store.Store;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ffdispatch status}: where every job runs and why, from the daemon's live view; when the
 * daemon is down, says so, shows what the store knows, and exits 3.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = {"Show the hosts and the running jobs, as the daemon sees them now.",
        "Per host: state and why, weight, own/foreign jobs, score (the lowest gets the next job), poll latency, last error.",
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
        Matcher m = Pattern.compile("(\\d{1,6})(ms|s)").matcher(interval.strip());
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw new CliException(AdminExitCodes.INVALID_INPUT, "--interval '" + interval + "' is not a positive duration; e.g. 2s, 500ms");
        }
        long n = Long.parseLong(m.group(1));
        return m.group(2).equals("ms") ? Duration.ofMillis(n) : Duration.ofSeconds(n);
    }

    private int once(CliContext ctx) {
        StatusClient.Answer answer = StatusClient.ask(ctx.config().daemon().socket(), StatusClient.TIMEOUT);
        StatusReply view = answer.up() ? answer.reply() : fromStore(ctx, answer);
        if (json) {
            printJson(ctx.out(), view);
        } else {
            printText(ctx.out(), view);
        }
        return answer.up() ? AdminExitCodes.OK : AdminExitCodes.UNEXPECTED_STATE;
    }

    /**
     * What the database knows when the daemon cannot tell: hosts, their last event, jobs left
     * running. The same record the daemon answers with, so the JSON keys are the same.
     */
    private StatusReply fromStore(CliContext ctx, StatusClient.Answer answer) {
        List<HostStatus> hosts = new ArrayList<>();
        List<JobStatus> jobs = new ArrayList<>();
        Instant now = clock.instant();
        StateStatus state;
        LocalStatus local = null;
        try (Store store = ctx.openStore()) {
            // What only a running daemon knows (is shared state away, what waits in memory) stays null.
            state = new StateStatus(store.engine(), store.location(), store.shared(),
                ctx.config().state().effectiveServerName(), null, null, null, null, null);
            for (HostRecord h : store.hosts()) {
                List<HostEvent> last = store.hostEvents(h.name(), 1);
                String reason = last.isEmpty() ? (h.drained() ? "drained" : "never probed")
                    : "last seen " + last.get(0).to() + " at " + last.get(0).at() + reason(last.get(0));
                hosts.add(new HostStatus(h.id(), h.name(), h.address(), null, reason, h.weight(), h.maxJobs(), h.drained(),
                    null, null, null, null, null, null, null, null, null, null, profile(store, ProfileRecord.host(h.id()))));
            }
            if (ctx.config().routing().capabilities()) {
                local = new LocalStatus(profile(store, ProfileRecord.local(ctx.config().state().effectiveServerName())));
            }
            for (JobRecord j : store.runningJobs()) {
                jobs.add(new JobStatus(j.id(), j.host(), j.tool(), j.started().toString(),
                    Duration.between(j.started(), now).toSeconds(), j.pid(), j.command(), j.fallbackReason()));
            }
        }
        String socket = ctx.config().daemon().socket().toString();
        return new StatusReply(DaemonStatus.down(socket, answer.problem(), answer.fix()), state, hosts, jobs, local);
    }

    /** The stored profile of a machine's ffmpeg in short, or null. */
    private static ProfileStatus profile(Store store, String machine) {
        return store.profiles(machine).stream().filter(p -> p.tool().equals("ffmpeg")).findFirst()
            .map(p -> ProfileStatus.of(p.path(), p.learned(), Capabilities.read(p.answers(), p.workingHwaccels())))
            .orElse(null);
    }

    private static String reason(HostEvent event) {
        return event.reason() == null ? "" : " (" + event.reason() + ")";
    }

    private static void printJson(PrintWriter out, StatusReply view) {
        try {
            out.println(JSON.writeValueAsString(view));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    private static void printText(PrintWriter out, StatusReply view) {
        DaemonStatus daemon = view.daemon();
        if (daemon.running()) {
            out.println("daemon: running, pid " + daemon.pid() + ", since " + daemon.started() + ", socket " + daemon.socket()
                + (daemon.metrics() == null ? "" : ", metrics " + daemon.metrics()));
            printState(out, view.state());
        } else {
            out.println("daemon: NOT RUNNING: " + daemon.problem());
            out.println("        fix: " + daemon.fix());
            out.println("        (hosts and jobs below are what the database knows; live state is unknown)");
        }
        out.println();
        TextTable hosts = new TextTable("HOST", "STATE", "WHY", "WEIGHT", "OWN/FOREIGN", "SCORE", "MAX_JOBS", "POLL",
            "LAST_ERROR");
        for (HostStatus h : view.hosts()) {
            hosts.row(h.name(), h.state() == null ? "?" : h.state(), TextTable.cut(h.reason(), WHY_CHARS),
                String.valueOf(h.weight()), h.own() == null ? null : h.own() + "/" + h.foreign(), text(h.score()),
                text(h.maxJobs()), h.latencyMs() == null ? null : h.latencyMs() + "ms" + ("exec".equals(h.probe()) ? " (exec)" : ""),
                TextTable.cut(h.lastError(), WHY_CHARS));
        }
        if (hosts.isEmpty()) {
            out.println("no hosts; add one: ffdispatch host add <address>");
        } else {
            hosts.print(out);
        }
        out.println();
        if (view.jobs().isEmpty()) {
            out.println(daemon.running() ? "no jobs running" : "no jobs recorded as running");
            return;
        }
        TextTable jobs = new TextTable("JOB", "HOST", "TOOL", "AGE", "PID", "COMMAND");
        for (JobStatus j : view.jobs()) {
            jobs.row(String.valueOf(j.id()), j.host(), j.tool(), TextTable.age(j.ageS()), text(j.pid()),
                TextTable.cut(j.command() == null ? "" : j.command(), COMMAND_CHARS));
        }
        jobs.print(out);
    }

    /** Shared state and whether it answers; job history that waits in memory. */
    private static void printState(PrintWriter out, StateStatus state) {
        int waiting = state.historyPending() == null ? 0 : state.historyPending();
        String pending = waiting == 0 ? "" : "; " + waiting + " job-history write(s) wait in memory for the database";
        if (!state.shared()) {
            out.println("state:  " + state.location() + " (SQLite)" + pending);
        } else if (!Boolean.FALSE.equals(state.online())) {
            out.println("state:  " + state.location() + " (PostgreSQL, shared; this server: " + state.server() + ")" + pending);
        } else {
            out.println("state:  " + state.location() + " is AWAY since " + state.awaySince() + " (" + state.awayReason() + ")");
            out.println("        running jobs go on; job history waits in memory and is written when it is back" + pending);
            out.println("        new jobs: " + (StateConfig.LOCAL.equals(state.whenAway())
                ? "run on this machine (state.when_away: local)"
                : "placed with the last known state of the other servers (state.when_away: last_known)"));
        }
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }
}
