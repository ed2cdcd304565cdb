package dev.ffdispatch.daemon;

import dev.ffdispatch.balance.HostBook;
import dev.ffdispatch.balance.HostLoad;
import dev.ffdispatch.config.StateConfig;
import dev.ffdispatch.daemon.StatusReply.DaemonStatus;
import dev.ffdispatch.daemon.StatusReply.HostStatus;
import dev.ffdispatch.daemon.StatusReply.JobStatus;
import dev.ffdispatch.daemon.StatusReply.LocalStatus;
import dev.ffdispatch.daemon.StatusReply.ProfileStatus;
import dev.ffdispatch.daemon.StatusReply.StateStatus;
import dev.ffdispatch.poll.HostHealth;
import dev.ffdispatch.poll.HostState;
import dev.ffdispatch.poll.Poller;
import dev.ffdispatch.ssh.WorkerLinks;
import dev.ffdispatch.store.HostRecord;
import dev.ffdispatch.store.ProfileRecord;
import dev.ffdispatch.store.Store;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The daemon's live state for {@code ffdispatch status}: where the state is and whether it
 * answers, hosts with state, load and score, and the running jobs. Built from in-memory state
 * only, so it answers even when the store is busy or away.
 */
final class StatusReport {
    /** What a host the poller has not seen yet (added a moment ago) reports. */
    private static final HostHealth NOT_PROBED = new HostHealth(HostState.UNKNOWN, "not probed yet", null, null, null,
        null, -1, null, 0);

    private final DaemonStatus self;
    private final Store store;
    private final String serverName;
    /** Null unless servers share the state. */
    private final SharedBook sharedBook;
    private final HostBook loadBook;
    private final HostDirectory hosts;
    private final Poller poller;
    private final WorkerLinks links;
    private final JobLedger ledger;
    /** Null when {@code routing.capabilities} is off. */
    private final ProfileKeeper profiles;

    StatusReport(DaemonStatus self, Store store, String serverName, SharedBook sharedBook, HostBook loadBook,
                 HostDirectory hosts, Poller poller, WorkerLinks links, JobLedger ledger, ProfileKeeper profiles) {
        this.self = self;
        this.store = store;
        this.serverName = serverName;
        this.sharedBook = sharedBook;
        this.loadBook = loadBook;
        this.hosts = hosts;
        this.poller = poller;
        this.links = links;
        this.ledger = ledger;
        this.profiles = profiles;
    }

    StatusReply reply() {
        return new StatusReply(self, state(), hosts(), jobs(ledger.clock().instant()),
            profiles == null ? null : new LocalStatus(profile(profiles.localMachine())));
    }

    /** Where the state is and whether it answers: with PostgreSQL, "away" is what an admin must see first. */
    private StateStatus state() {
        SharedBook.Away away = sharedBook == null ? null : sharedBook.away().orElse(null);
        return new StateStatus(store.engine(), store.location(), store.shared(), serverName,
            sharedBook == null ? null : away == null,
            away == null ? null : away.since().toString(), away == null ? null : away.reason(),
            sharedBook == null ? null : sharedBook.placesWhenAway() ? StateConfig.LAST_KNOWN : StateConfig.LOCAL,
            ledger.pendingWrites());
    }

    private List<HostStatus> hosts() {
        List<HostStatus> out = new ArrayList<>();
        for (HostLoad load : loadBook.snapshot()) {
            HostRecord record = hosts.record(load.id());
            WorkerHost host = hosts.host(load.id());
            WorkerLinks.LinkStatus link = host == null ? null : links.status(host.target());
            HostHealth health = poller.health(load.id());
            if (health == null) {
                health = NOT_PROBED;
            }
            String problem = hosts.problem(load.id());
            out.add(new HostStatus(load.id(), load.name(), record == null ? null : record.address(),
                problem != null ? "invalid" : health.state().name().toLowerCase(), problem != null ? problem : health.reason(),
                load.weight(), load.maxJobs() == 0 ? null : load.maxJobs(), record != null && record.drained(),
                // A score ranks candidates; a host that is not up is no candidate, so it has none.
                load.own(), load.foreign(), health.state() == HostState.UP ? load.score() : null, load.eligible(),
                health.lastLatency() == null ? null : health.lastLatency().toMillis(),
                health.lastPolled() == null ? null : health.lastPolled().toString(), health.lastError(),
                link == null ? null : link.mode(), link == null || link.loginShell() == null ? null : link.loginShell().toMillis(),
                link == null ? null : link.note(), profile(ProfileRecord.host(load.id()))));
        }
        return out;
    }

    /** The short capability profile of a machine's ffmpeg, or null while none is known. */
    private ProfileStatus profile(String machine) {
        ProfileBook.Profile profile = profiles == null ? null : profiles.profile(machine);
        return profile == null ? null
            : ProfileStatus.of(profile.identity().path(), profile.learned(), profile.capabilities());
    }

    private List<JobStatus> jobs(Instant now) {
        List<JobStatus> out = new ArrayList<>();
        for (LiveJob job : ledger.live()) {
            out.add(new JobStatus(job.id(), job.host, job.tool.command(), job.started.toString(),
                Duration.between(job.started, now).toSeconds(), job.pid < 0 ? null : job.pid, job.command,
                job.fallbackReason));
        }
        return out;
    }
}
