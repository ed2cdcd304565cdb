package dev.ffdispatch.workersetup;

import dev.ffdispatch.doctor.Check;
import java.util.List;

/**
 * What {@code worker-setup} found.
 *
 * @param checks one per finding, in order
 * @param hostAdd the {@code ffdispatch host add ...} line that fits what was found
 * @param trust the {@code ffdispatch host trust <name>} line, null when the key is pinned already
 */
public record SetupReport(List<Check> checks, String hostAdd, String trust) {
    public SetupReport {
        checks = List.copyOf(checks);
    }

    /** No FAIL among the checks. */
    public boolean ok() {
        return checks.stream().noneMatch(c -> c.status() == Check.Status.FAIL);
    }
}
