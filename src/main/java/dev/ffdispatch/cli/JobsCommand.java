package dev.ffdispatch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ffdispatch.store.HostRecord;
import dev.ffdispatch.store.JobRecord;
import dev.ffdispatch.store.JobState;
import dev.ffdispatch.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ffdispatch jobs}: the job history, newest first. */
@Command(name = "jobs", mixinStandardHelpOptions = true,
    description = {"Show the job history, newest first.",
        "Per job: start, end, host, tool, state, exit code, duration, and why it ran locally (fallback)."})
final class JobsCommand implements Callable<Integer> {
    static final int MAX_LIMIT = 100_000;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
        .withZone(ZoneId.systemDefault());
    private static final int WHY_CHARS = 60;

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print a JSON array.")
    boolean json;

    @Option(names = "--limit", paramLabel = "<n>", defaultValue = "20", description = "At most n jobs (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--host", paramLabel = "<name>", description = "Only jobs on this host ('local' for this machine).")
    String host;

    @Option(names = "--failed", description = "Only failed and lost jobs.")
    boolean failed;

    private final Clock clock = Clock.systemUTC();

    @Override
    public Integer call() throws Exception {
        CliContext ctx = CliContext.of(spec);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new CliException(AdminExitCodes.INVALID_INPUT, "--limit " + limit + " is out of range; accepted: 1.." + MAX_LIMIT);
        }
        List<JobRecord> jobs;
        try (Store store = ctx.openStore()) {
            jobs = store.jobs(limit, host, failed);
            if (host != null && jobs.isEmpty()) {
                requireKnown(store, host);
            }
        }
        Instant now = clock.instant();
        if (json) {
            ArrayNode array = JSON.createArrayNode();
            jobs.forEach(j -> json(array.addObject(), j, now));
            ctx.out().println(JSON.writeValueAsString(array));
            return AdminExitCodes.OK;
        }
        if (jobs.isEmpty()) {
            ctx.out().println("no jobs" + (host == null ? "" : " on host '" + host + "'") + (failed ? " failed" : "") + " yet");
            return AdminExitCodes.OK;
        }
        // Several servers sharing the history (PostgreSQL): which one ran each job.
        boolean servers = jobs.stream().map(JobRecord::server).filter(Objects::nonNull).distinct().count() > 1;
        TextTable table = servers
            ? new TextTable("JOB", "STARTED", "ENDED", "SERVER", "HOST", "TOOL", "STATE", "EXIT", "DURATION", "FALLBACK")
            : new TextTable("JOB", "STARTED", "ENDED", "HOST", "TOOL", "STATE", "EXIT", "DURATION", "FALLBACK");
        for (JobRecord j : jobs) {
            List<Object> cells = new ArrayList<>(Arrays.asList(j.id(), LOCAL.format(j.started()),
                j.ended() == null ? null : LOCAL.format(j.ended()), j.host(), j.tool(), j.state().label(), j.exitCode(),
                TextTable.age(duration(j, now).toSeconds()) + (j.ended() == null && j.state() == JobState.RUNNING ? "+" : ""),
                TextTable.cut(j.fallbackReason(), WHY_CHARS)));
            if (servers) {
                cells.add(3, j.server());
            }
            table.row(cells.toArray());
        }
        table.print(ctx.out());
        return AdminExitCodes.OK;
    }

    /**
     * A name with no history must be a host that exists now (or {@code local}); a removed host's
     * jobs stay in the history under its name, so its name is accepted while it has any.
     */
    private static void requireKnown(Store store, String host) {
        if (host.equals(HostRecord.LOCAL) || store.host(host).isPresent() || !store.jobs(1, host, false).isEmpty()) {
            return;
        }
        List<String> names = store.hosts().stream().map(h -> h.name()).toList();
        throw new CliException(AdminExitCodes.INVALID_INPUT, "host '" + host + "' is not known and has no jobs; known hosts: "
            + (names.isEmpty() ? "none" : String.join(", ", names)) + ", or 'local' for this machine");
    }

    /** Run time; for a running job, so far. A lost job without an end counts to now as well. */
    private static Duration duration(JobRecord j, Instant now) {
        return Duration.between(j.started(), j.ended() == null ? now : j.ended());
    }

    private static void json(ObjectNode o, JobRecord j, Instant now) {
        o.put("id", j.id());
        o.put("tool", j.tool());
        o.put("host", j.host());
        o.put("server", j.server());
        o.put("state", j.state().label());
        o.put("started", j.started().toString());
        o.put("ended", j.ended() == null ? null : j.ended().toString());
        o.put("exit_code", j.exitCode());
        o.put("duration_ms", duration(j, now).toMillis());
        o.put("pid", j.pid());
        o.put("fallback_reason", j.fallbackReason());
        o.put("command", j.command());
    }
}
