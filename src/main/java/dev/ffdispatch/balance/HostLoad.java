package dev.ffdispatch.balance;

/**
 * One host's load at one moment, as {@link LoadBook#snapshot()} reports it.
 *
 * @param id the host's id
 * @param name the host's name
 * @param weight the host's weight
 * @param maxJobs the host's job limit, 0 = none
 * @param eligible whether the host may take new jobs
 * @param own live jobs ffdispatch runs there (held reservations)
 * @param foreign ffmpeg processes seen by the last poll that are not ours
 * @param score {@link Ranking#score(long, int)} of {@code own + foreign}: lower wins
 */
public record HostLoad(long id, String name, int weight, int maxJobs, boolean eligible, int own, int foreign,
        long score) {

    /** Own and foreign jobs together: what the score and {@code max_jobs} count. */
    public long active() {
        return (long) own + foreign;
    }
}
