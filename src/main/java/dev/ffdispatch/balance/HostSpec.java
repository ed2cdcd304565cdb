package dev.ffdispatch.balance;

/**
 * A worker host as the balancer sees it.
 *
 * @param id the host's id in the store (the last tie-break: lower id first)
 * @param name the host's name, for logs and the reservation
 * @param weight relative capacity, at least 1 (a weight-4 host takes about twice the jobs of a weight-2 host)
 * @param maxJobs the most ffmpeg processes (ours and foreign) the host may run; 0 = no limit
 * @param eligible whether the host may take new jobs: the daemon computes it as up and not drained
 * @param maxOwn the most jobs of ours the host can carry at once (its SSH channel capacity); 0 = no
 *     limit. Unlike {@code maxJobs}, foreign processes do not count: they use no channel of ours.
 */
public record HostSpec(long id, String name, int weight, int maxJobs, boolean eligible, int maxOwn) {

    public HostSpec(long id, String name, int weight, int maxJobs, boolean eligible) {
        this(id, name, weight, maxJobs, eligible, 0);
    }

    public HostSpec {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("host " + id + ": name (" + name + ") must not be blank");
        }
        if (weight < 1) {
            throw new IllegalArgumentException(
                    "host " + name + ": weight (" + weight + ") must be at least 1; use drain to take a host out");
        }
        if (maxOwn < 0) {
            throw new IllegalArgumentException("host " + name + ": channel capacity (" + maxOwn + ") must be 0 or positive");
        }
        if (maxJobs < 0) {
            throw new IllegalArgumentException(
                    "host " + name + ": max_jobs (" + maxJobs + ") must be 0 (no limit) or positive");
        }
    }

    /** A copy with {@code eligible} changed. */
    HostSpec withEligible(boolean newEligible) {
        return new HostSpec(id, name, weight, maxJobs, newEligible, maxOwn);
    }
}
