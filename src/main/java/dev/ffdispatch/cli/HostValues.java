package dev.ffdispatch.cli;

import dev.ffdispatch.store.PathMap;
import java.util.List;

/** Parsing of the host option values {@code host add} and {@code host set} share. */
final class HostValues {
    private HostValues() {
    }

    /** The mappings given, or null when no --map was given. */
    static List<PathMap> mappings(List<String> maps) {
        return maps == null ? null : maps.stream().map(PathMap::parse).toList();
    }

    /**
     * @param noneAllowed whether "none" (no cap, returned as 0) is accepted
     * @return null when --max-jobs was not given
     */
    static Integer maxJobs(String given, boolean noneAllowed) {
        if (given == null) {
            return null;
        }
        if (noneAllowed && given.equals("none")) {
            return 0;
        }
        try {
            return Integer.valueOf(given.trim());
        } catch (NumberFormatException e) {
            throw new CliException(AdminExitCodes.INVALID_INPUT, "--max-jobs '" + given + "' is not a number; accepted: 1..1000"
                + (noneAllowed ? " or none" : ""));
        }
    }
}
