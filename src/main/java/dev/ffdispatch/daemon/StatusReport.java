package dev.ffdispatch.daemon;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ffdispatch.balance.HostLoad;
import dev.ffdispatch.poll.HostHealth;
import dev.ffdispatch.ssh.WorkerLinks;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The daemon's live state as JSON, for {@code ffdispatch status}: hosts with state, load and
 * score, and the running jobs. Built from in-memory state only, so it answers even when the
 * store is busy.
 */
final class StatusReport {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Daemon daemon;

    StatusReport(Daemon daemon) {
        this.daemon = daemon;
    }

    byte[] json() {
        Map<String, Object> root = new LinkedHashMap<>();
        Instant now = daemon.ledger().clock().instant();
        Map<String, Object> self = new LinkedHashMap<>();
        self.put("pid", ProcessHandle.current().pid());
        self.put("run_id", daemon.runId());
        self.put("started", daemon.startedAt().toString());
        self.put("socket", daemon.socket().toString());
        root.put("daemon", self);
        root.put("state", state());
        root.put("hosts", hosts());
        root.put("jobs", jobs(now));
        try {
            return JSON.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("status JSON", e); // plain maps of strings and numbers always serialise
        }
    }

    /** Where the state is and whether it answers: with PostgreSQL, "away" is what an admin must see first. */
    private Map<String, Object> state() {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("engine", daemon.store().engine());
        state.put("location", daemon.store().location());
        state.put("shared", daemon.store().shared());
        state.put("server", daemon.serverName());
        daemon.sharedBook().ifPresent(book -> {
            SharedBook.Away away = book.away().orElse(null);
            state.put("online", away == null);
            state.put("away_since", away == null ? null : away.since().toString());
            state.put("away_reason", away == null ? null : away.reason());
            state.put("when_away", book.placesWhenAway() ? "last_known" : "local");
        });
        state.put("history_pending", daemon.ledger().pendingWrites());
        return state;
    }

    private List<Map<String, Object>> hosts() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (HostLoad load : daemon.loadBook().snapshot()) {
            WorkerHost host = daemon.hosts().host(load.id());
            HostHealth health = daemon.poller().health(load.id());
            if (health == null) { // added a moment ago: the poller has not seen it yet
                health = new HostHealth(dev.ffdispatch.poll.HostState.UNKNOWN, "not probed yet", null, null, null, null, -1, null, 0);
            }
            String problem = daemon.hosts().problem(load.id());
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("id", load.id());
            h.put("name", load.name());
            h.put("address", host == null ? null : host.target().address());
            h.put("state", problem != null ? "invalid" : health.state().name().toLowerCase());
            h.put("reason", problem != null ? problem : health.reason());
            h.put("weight", load.weight());
            h.put("max_jobs", load.maxJobs() == 0 ? null : load.maxJobs());
            h.put("own", load.own());
            h.put("foreign", load.foreign());
            // A score ranks candidates; a host that is not up is no candidate, so it has none.
            h.put("score", health.state() == dev.ffdispatch.poll.HostState.UP ? load.score() : null);
            h.put("eligible", load.eligible());
            h.put("latency_ms", health.lastLatency() == null ? null : health.lastLatency().toMillis());
            h.put("last_poll", health.lastPolled() == null ? null : health.lastPolled().toString());
            h.put("last_error", health.lastError());
            if (host != null) {
                WorkerLinks.LinkStatus link = daemon.links().status(host.target());
                h.put("probe", link.mode());
                h.put("login_shell_ms", link.loginShell() == null ? null : link.loginShell().toMillis());
                h.put("probe_note", link.note());
            }
            out.add(h);
        }
        return out;
    }

    private List<Map<String, Object>> jobs(Instant now) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (LiveJob job : daemon.ledger().live()) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("id", job.id());
            j.put("host", job.host);
            j.put("tool", job.tool.command());
            j.put("started", job.started.toString());
            j.put("age_s", Duration.between(job.started, now).toSeconds());
            j.put("pid", job.pid < 0 ? null : job.pid);
            j.put("command", job.command);
            j.put("fallback_reason", job.fallbackReason);
            out.add(j);
        }
        return out;
    }
}
