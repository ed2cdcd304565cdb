package dev.ffdispatch.daemon;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.ffdispatch.caps.Capabilities;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * What {@code ffdispatch status} shows, one record for both ends of the STATUS exchange: the
 * daemon writes it as its reply, the client reads it back. With the daemon down, {@code status}
 * fills the same record from the database, so {@code status --json} has the same keys either way
 * (null where that source cannot know). The JSON keys are the components in snake_case, in this
 * order; scripts rely on them.
 *
 * @param daemon the daemon itself, or why it did not answer
 * @param state where the state (database) is and whether it answers
 * @param hosts every worker host, in the balancer's order
 * @param jobs the running jobs
 * @param local this machine; null when capability profiles are off ({@code routing.capabilities})
 */
public record StatusReply(DaemonStatus daemon, StateStatus state, List<HostStatus> hosts, List<JobStatus> jobs,
                          LocalStatus local) {
    private static final ObjectMapper JSON = new ObjectMapper()
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES); // an older client reads a newer daemon's reply

    public StatusReply {
        hosts = List.copyOf(hosts);
        jobs = List.copyOf(jobs);
    }

    /**
     * @param running whether the daemon answered
     * @param pid its process id; null when it did not answer
     * @param runId this run's id (the job history's run_id); null when it did not answer
     * @param started when it started (ISO-8601); null when it did not answer
     * @param socket the socket it listens on (or was looked for on)
     * @param metrics the URL of its {@code /metrics} endpoint; null when off or when it did not answer
     * @param problem why it did not answer; null when it did
     * @param fix what to do about the problem; null when it answered
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record DaemonStatus(boolean running, Long pid, String runId, String started, String socket, String metrics,
                               String problem, String fix) {
        public static DaemonStatus down(String socket, String problem, String fix) {
            return new DaemonStatus(false, null, null, null, socket, null, problem, fix);
        }
    }

    /**
     * @param engine sqlite or postgresql
     * @param location the database file, or the PostgreSQL server and database (no password)
     * @param shared whether several servers share it (PostgreSQL)
     * @param server this server's name in the shared state and the job history
     * @param online whether the shared state answers; null unless shared, or without the daemon
     * @param awaySince since when it does not answer (ISO-8601); null while it does
     * @param awayReason why it does not answer; null while it does
     * @param whenAway what new jobs do while it is away: last_known or local; null unless shared
     * @param historyPending job-history writes waiting in memory for the database; null without the daemon
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record StateStatus(String engine, String location, boolean shared, String server, Boolean online,
                              String awaySince, String awayReason, String whenAway, Integer historyPending) {
    }

    /**
     * @param address null when the daemon has not loaded the host
     * @param state up, down, drained, unknown or invalid (the row cannot be used); null when only the
     *     database was asked
     * @param reason why the host is in its state (for invalid: the problem and its fix)
     * @param maxJobs the job cap; null for none
     * @param drained whether new jobs are kept away (host drain)
     * @param own live jobs the daemon runs there; null without the daemon
     * @param foreign ffmpeg processes the last poll saw that are not ours; null without the daemon
     * @param score the ranking's score, lower wins; null without the daemon
     * @param eligible whether the balancer may choose the host now; null without the daemon
     * @param latencyMs the last good probe's round trip; null before it or without the daemon
     * @param lastPoll when the host last answered a probe (ISO-8601); null before it or without the daemon
     * @param lastError the last probe failure; null when none or without the daemon
     * @param probe how the host is asked: channel (its link, one long-lived shell), exec (one exec
     *     per request) or none (nothing asked yet); null without the daemon
     * @param loginShellMs what the worker's login shell took when the link started; null when unknown
     * @param probeNote why the host is probed the way it is; null when there is nothing to say
     * @param profile the capability profile of its ffmpeg, in short; null while none is known
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record HostStatus(long id, String name, String address, String state, String reason, int weight,
                             Integer maxJobs, boolean drained, Integer own, Integer foreign, Long score, Boolean eligible,
                             Long latencyMs, String lastPoll, String lastError, String probe, Long loginShellMs,
                             String probeNote, ProfileStatus profile) {
    }

    /** @param profile the capability profile of this machine's ffmpeg; null while none is known */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record LocalStatus(ProfileStatus profile) {
    }

    /**
     * A capability profile in short.
     *
     * @param ffmpeg the binary's resolved path on its machine
     * @param version what its {@code -version} names; null when unknown
     * @param learned when it was learned (ISO-8601)
     * @param hwaccels hardware devices that count (listed, and working where tested); null when
     *     its listings are not an ffmpeg's
     * @param hwaccelsNotWorking listed devices that failed their {@code -init_hw_device} test; null likewise
     * @param hardwareEncoders hardware encoders that count; null likewise
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ProfileStatus(String ffmpeg, String version, String learned, List<String> hwaccels,
                                List<String> hwaccelsNotWorking, List<String> hardwareEncoders) {
        /** {@code caps} null: the binary's listings could not be read. */
        public static ProfileStatus of(String ffmpeg, Instant learned, Capabilities caps) {
            return new ProfileStatus(ffmpeg, caps == null ? null : caps.version(), learned.toString(),
                caps == null ? null : caps.hwaccels(), caps == null ? null : caps.brokenHwaccels(),
                caps == null ? null : caps.hardwareEncoders());
        }
    }

    /**
     * @param id the history row's id; negative while the daemon has not written it yet
     * @param host the worker's name, or {@code local}
     * @param tool ffmpeg or ffprobe
     * @param started ISO-8601
     * @param ageS seconds since it started
     * @param pid the process id on its host; null before it is known
     * @param command the arguments, cut at 2000 characters
     * @param fallbackReason why it runs on this machine; null when it runs where the balancer chose
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record JobStatus(long id, String host, String tool, String started, long ageS, Long pid, String command,
                            String fallbackReason) {
    }

    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("status JSON", e); // records of strings and numbers always serialise
        }
    }

    /** The reply as the daemon wrote it; an IOException when it is not one. */
    public static StatusReply fromJson(byte[] json) throws IOException {
        return JSON.readValue(json, StatusReply.class);
    }
}
