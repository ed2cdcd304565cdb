package dev.ffdispatch.poll;

import java.time.Duration;
import java.time.Instant;

/** One host's mutable health record; every field is guarded by the poller's lock. */
final class HostTrack {
    PolledHost host;
    HostState state = HostState.UNKNOWN;
    String reason = "not probed yet";
    Instant since;
    Duration lastLatency;
    Instant lastPolled;
    String lastError;
    int ffmpegCount = -1;
    Instant nextProbeAt;
    int failures;
    boolean drained;
    /** While WAKING: when to give up waiting for the woken host and mark it DOWN again. */
    Instant wakingUntil;

    /** The probe running now, or null. */
    ProbeTicket inFlight;
    /** The running probe's answer must be ignored (the host failed or changed meanwhile). */
    boolean stale;
    /** pollNow() came while a probe ran: probe again as soon as it returns. */
    boolean repollRequested;
    private long probeSeq;

    HostTrack(PolledHost host, Instant now) {
        this.host = host;
        this.since = now;
        this.nextProbeAt = now;
    }

    boolean isDue(Instant now) {
        return inFlight == null && !now.isBefore(nextProbeAt);
    }

    ProbeTicket startProbe(Instant now) {
        inFlight = new ProbeTicket(this, ++probeSeq, host, now);
        stale = false;
        return inFlight;
    }

    /** Whether the in-flight probe, not yet written off, has run past {@code deadline} after its start. */
    boolean isOverdue(Instant now, Duration deadline) {
        return inFlight != null && !stale && !now.isBefore(inFlight.startedAt().plus(deadline));
    }

    HostHealth health() {
        return new HostHealth(state, reason, since, lastLatency, lastPolled, lastError, ffmpegCount, nextProbeAt,
                failures);
    }

    /** One probe launch; {@code seq} tells a late answer from the current one. */
    record ProbeTicket(HostTrack track, long seq, PolledHost host, Instant startedAt) {
    }
}
