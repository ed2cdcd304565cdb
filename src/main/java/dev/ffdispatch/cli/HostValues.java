package dev.ffdispatch.cli;

import dev.ffdispatch.store.PathMap;
import dev.ffdispatch.store.WakeOnLan;
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

    /**
     * The Wake-on-LAN setting given by --wake-mac and --wake-to.
     *
     * @param current the host's stored setting ({@code host set}), null for none or {@code host add}
     * @return null when neither option was given
     */
    static WakeOnLan wake(String mac, String to, WakeOnLan current) {
        if (mac == null && to == null) {
            return null;
        }
        if (mac == null && current == null) {
            throw new CliException(AdminExitCodes.INVALID_INPUT, "--wake-to needs --wake-mac: give the worker's MAC address"
                + " too, e.g. --wake-mac 00:11:22:33:44:55");
        }
        // A new MAC alone goes to the default destination again; a new destination alone keeps the MAC.
        return new WakeOnLan(mac != null ? mac : current.mac(), to != null || mac != null ? to : current.to());
    }
}
