package dev.ffdispatch.workersetup;

import dev.ffdispatch.doctor.Check;
import dev.ffdispatch.doctor.Filesystems;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Judges the filesystem a shared directory lives on, on the worker. The NFS client caches
 * attributes for up to 60 s by default, so Jellyfin (polling every 100 ms) sees a segment the
 * worker just wrote late; a transcode directory on the worker's own disk is never seen at all.
 */
final class MountCheck {
    static final String GUIDE = "docs/workers.md#4-shared-storage-same-paths";
    /** actimeo=1 is shown by the kernel as acregmax=1 etc., not as actimeo. */
    private static final Pattern CACHE_SECONDS = Pattern.compile("(?:^|,)(actimeo|acregmax|acdirmax)=(\\d+)");

    private MountCheck() {
    }

    /**
     * @param name the check's name
     * @param type the filesystem type (findmnt FSTYPE or /proc/mounts), null when unknown
     * @param options its mount options
     * @param transcodes whether this is the transcode directory
     * @param sameMachine whether the worker is this machine (then its local disk is Jellyfin's too)
     */
    static Check judge(String name, String type, String options, boolean transcodes, boolean sameMachine) {
        if (type == null) {
            return Check.warn(name, "filesystem unknown (no findmnt and no matching /proc/mounts line)", null);
        }
        String where = type + " (" + options + ")";
        if (Filesystems.isNetwork(type)) {
            if (transcodes && type.startsWith("nfs") && !attributesFresh(options)) {
                return Check.warn(name, where + ": attributes cached up to 60 s, new HLS segments show up late",
                    "mount with actimeo=1 (or lookupcache=positive) on the worker (" + GUIDE + ")");
            }
            return Check.ok(name, where + ": a network share");
        }
        if (sameMachine) {
            return Check.ok(name, where + ": local disk of this same machine, which Jellyfin sees too");
        }
        if (transcodes) {
            return Check.fail(name, where + ": the worker's local disk; Jellyfin cannot see the segments written here",
                "mount the share Jellyfin's transcode directory is on at this path, or --map it to where it is mounted ("
                    + GUIDE + ")");
        }
        return Check.warn(name, where + ": the worker's local disk; Jellyfin does not see what is written here",
            "fine for a read-only copy of the media; otherwise mount the share here (" + GUIDE + ")");
    }

    /** noac, lookupcache=none|positive, or actimeo (acregmax and acdirmax) at most 1 s. */
    static boolean attributesFresh(String options) {
        String o = "," + options + ",";
        if (o.contains(",noac,") || o.contains(",lookupcache=none,") || o.contains(",lookupcache=positive,")
            || o.contains(",lookupcache=pos,")) {
            return true;
        }
        Matcher m = CACHE_SECONDS.matcher(options);
        boolean reg = false;
        boolean dir = false;
        while (m.find()) {
            boolean small = Long.parseLong(m.group(2)) <= 1;
            switch (m.group(1)) {
                case "actimeo" -> {
                    reg = small;
                    dir = small;
                }
                case "acregmax" -> reg = small;
                default -> dir = small;
            }
        }
        return reg && dir;
    }
}
