package dev.ffdispatch.ssh;

import dev.ffdispatch.posix.JobExitCodes;

/**
 * How a remote program ended, as the SSH server reported it.
 *
 * @param status the exit-status, or null when none was sent
 * @param signal the exit-signal name without "SIG" (such as "KILL"), or null
 * @param connectionLost true when the session died before the channel closed normally
 */
public record RemoteExit(Integer status, String signal, boolean connectionLost) {

    /** The exit code a shell would report: status, or 128+N for signal N, or WORKER_LOST. */
    public int exitCode() {
        if (status != null) {
            return status;
        }
        if (signal != null) {
            return JobExitCodes.SIGNAL_BASE + SignalNumbers.of(signal);
        }
        return JobExitCodes.WORKER_LOST;
    }
}
