package dev.ffdispatch.poll;

/** A worker's health as the poller sees it. Only {@link #UP} hosts take new jobs. */
public enum HostState {
    /** Added, not probed yet. */
    UNKNOWN,
    /** The last probe answered: the host takes jobs. */
    UP,
    /** The last probe (or a job start) failed; re-probed with capped back-off, comes back by itself. */
    DOWN,
    /**
     * Down, and sent a Wake-on-LAN packet because jobs would have gone there: probed every
     * {@code poll.interval} (no back-off) until it answers, or back to {@code DOWN} when the
     * wake window passes without an answer.
     */
    WAKING,
    /** The host key is not pinned or changed; re-probed with back-off until the admin pins it. */
    UNTRUSTED,
    /** Answering, but drained by the admin: takes no new jobs, running ones finish. */
    DRAINED,
    /** Reserved for hosts switched off in the configuration; not used yet. */
    DISABLED
}
