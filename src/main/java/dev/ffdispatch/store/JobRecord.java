package dev.ffdispatch.store;

import java.time.Instant;

/**
 * One job in the history.
 *
 * @param host           worker name or "local"
 * @param pid            the remote (or local) process id once known
 * @param ended          null while running
 * @param exitCode       null while running or when lost
 * @param state          where the job stands
 * @param fallbackReason why the job ran locally, or null
 * @param runId          the daemon run that started it (to reap what an earlier run left)
 */
public record JobRecord(long id, String tool, String host, String command, Long pid, Instant started,
                        Instant ended, Integer exitCode, JobState state, String fallbackReason, String runId) {
}
