package dev.ffdispatch.cli;

import dev.ffdispatch.store.PathMap;
import picocli.CommandLine.Option;

import java.util.List;

/** The host settings shared by {@code host add} and {@code host set}. */
final class HostOptions {
    @Option(names = "--weight", paramLabel = "<n>",
            description = "Relative capacity 1..1000 (add: default 1). Weight 4 gets about twice the jobs of weight 2.")
    Integer weight;

    @Option(names = "--user", paramLabel = "<u>",
            description = "SSH login (add: default ssh.user from the config; set: \"\" = back to the default).")
    String user;

    @Option(names = "--port", paramLabel = "<p>", description = "SSH port 1..65535 (add: default 22).")
    Integer port;

    @Option(names = "--max-jobs", paramLabel = "<n>",
            description = "At most this many jobs at once, 1..1000 (default: no cap; set: none = no cap).")
    String maxJobs;

    @Option(names = "--ffmpeg", paramLabel = "<path>",
            description = "ffmpeg on the worker (default: ffmpeg on its PATH; set: \"\" = back to the default).")
    String ffmpeg;

    @Option(names = "--ffprobe", paramLabel = "<path>",
            description = "ffprobe on the worker (default: ffprobe on its PATH; set: \"\" = back to the default).")
    String ffprobe;

    @Option(names = "--map", paramLabel = "<local>=<remote>",
            description = "Path prefix as Jellyfin sees it = as the worker sees it; both absolute. Repeatable"
                    + " (set: replaces all mappings).")
    List<String> maps;

    /** The mappings given, or null when no --map was given. */
    List<PathMap> mappings() {
        return maps == null ? null : maps.stream().map(PathMap::parse).toList();
    }

    /**
     * @param noneAllowed whether "none" (no cap, returned as 0) is accepted
     * @return null when --max-jobs was not given
     */
    Integer maxJobs(boolean noneAllowed) {
        if (maxJobs == null) {
            return null;
        }
        if (noneAllowed && maxJobs.equals("none")) {
            return 0;
        }
        try {
            return Integer.valueOf(maxJobs.trim());
        } catch (NumberFormatException e) {
            throw new CliException(AdminExitCodes.INVALID_INPUT, "--max-jobs '" + maxJobs + "' is not a number; accepted: 1..1000"
                    + (noneAllowed ? " or none" : ""));
        }
    }
}
