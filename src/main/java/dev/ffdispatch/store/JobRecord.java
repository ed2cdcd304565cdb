package dev.ffdispatch.store;

import java.time.Instant;

/**
 * One job in the history.
 *
 * @param host           worker name or {@link HostRecord#LOCAL}
 * @param pid            the remote (or local) process id once known
 * @param ended          null while running
 * @param exitCode       null while running or when lost
 * @param state          where the job stands
 * @param fallbackReason why the job ran locally, or null
 * @param runId          the daemon run that started it (to reap what an earlier run left)
 * @param server         the server (state.server_name) that ran it, or null when written by 0.1
 */
public record JobRecord(long id, String tool, String host, String command, Long pid, Instant started,
                        Instant ended, Integer exitCode, JobState state, String fallbackReason, String runId,
                        String server) {
}
