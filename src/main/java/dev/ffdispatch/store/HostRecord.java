package dev.ffdispatch.store;

import java.time.Instant;
import java.util.List;

/**
 * A worker host as stored.
 *
 * @param user    SSH login, or null for the configured {@code ssh.user}
 * @param maxJobs cap of concurrent jobs, or null for no cap
 * @param ffmpeg  remote ffmpeg path, or null for {@code ffmpeg} on the worker's PATH
 * @param ffprobe remote ffprobe path, or null for {@code ffprobe}
 * @param drained true when no new jobs may start there (running ones finish)
 * @param problem why the row cannot be used as stored (then {@code mappings} is empty and the
 *                daemon sends no jobs there), with the command that fixes it; null for a usable row
 * @param wake    where to send a Wake-on-LAN packet when the host is down and jobs would go there; null = never
 */
public record HostRecord(long id, String name, String address, int port, String user, int weight, Integer maxJobs,
                         String ffmpeg, String ffprobe, List<PathMap> mappings, boolean drained, Instant created,
                         String problem, WakeOnLan wake) {
    /** The host name of jobs that run on this machine; no worker may be called so (nor any case of it). */
    public static final String LOCAL = "local";

    public HostRecord {
        mappings = List.copyOf(mappings);
    }

    /** The SSH login for this host: its own user, else {@code sshUser} (the configured {@code ssh.user}). */
    public String login(String sshUser) {
        return user == null || user.isBlank() ? sshUser : user;
    }

    /** Not drained: the balancer may choose it. */
    public boolean enabled() {
        return !drained;
    }
}
