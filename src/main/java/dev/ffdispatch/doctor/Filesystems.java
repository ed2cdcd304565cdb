package dev.ffdispatch.doctor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;

/**
 * Where the transcode directory lives. tmpfs (in memory, gone at reboot) and network shares
 * (what workers need anyway) are right; a dataset that is snapshotted or backed up (zfs, btrfs)
 * is warned about, because every HLS segment written there multiplies snapshot and backup traffic.
 */
public final class Filesystems {
    static final Set<String> MEMORY = Set.of("tmpfs", "ramfs");
    static final Set<String> NETWORK = Set.of("nfs", "nfs4", "cifs", "smb3", "smbfs", "fuse.sshfs", "9p", "ceph",
        "fuse.glusterfs", "glusterfs");
    static final Set<String> SNAPSHOTTED = Set.of("zfs", "btrfs");

    private Filesystems() {
    }

    /** The check for {@code dir} given the text of /proc/mounts. */
    public static Check transcodeDir(Path dir, String mounts) {
        String name = "filesystem " + dir;
        Path real;
        try {
            real = dir.toRealPath();
        } catch (IOException e) {
            return Check.warn(name, "cannot resolve " + dir + ": " + e.getMessage(), "create it, or give the right one with --transcodes");
        }
        String[] mount = mountOf(real, mounts);
        if (mount == null) {
            return Check.warn(name, "no mount found for " + real + " in /proc/mounts", null);
        }
        String type = mount[2];
        String where = type + " mounted at " + mount[1] + " from " + mount[0];
        if (MEMORY.contains(type)) {
            return Check.ok(name, where + ": in memory, nothing is backed up");
        }
        if (NETWORK.contains(type)) {
            return Check.ok(name, where + ": a network share the workers can mount too");
        }
        if (SNAPSHOTTED.contains(type)) {
            return Check.warn(name, where + ": snapshots and backups of this dataset copy every transcode segment",
                "put the transcode directory on tmpfs or on a dataset excluded from snapshots and backups"
                    + (type.equals("zfs") ? " (zfs create -o com.sun:auto-snapshot=false ...)" : " (a separate btrfs subvolume)"));
        }
        return Check.ok(name, where + ": local disk; export it to the workers (NFS/SMB) under the same path or a mapping");
    }

    /** The text of /proc/mounts, or "" where there is none (macOS). */
    public static String procMounts() {
        try {
            return Files.readString(Path.of("/proc/mounts"));
        } catch (IOException e) {
            return "";
        }
    }

    /** Whether {@code type} (as /proc/mounts names it) is a network filesystem other machines can mount too. */
    public static boolean isNetwork(String type) {
        return NETWORK.contains(type);
    }

    /** {@code {type, options}} of the mount holding {@code path} (already resolved), or null when none matches. */
    public static String[] typeAndOptions(Path path, String mounts) {
        String[] mount = mountFields(path, mounts);
        return mount == null ? null : new String[] {mount[2], mount[3]};
    }

    /** The /proc/mounts fields (device, mount point, type) of the longest mount point containing {@code path}. */
    static String[] mountOf(Path path, String mounts) {
        String[] fields = mountFields(path, mounts);
        return fields == null ? null : Arrays.copyOf(fields, 3);
    }

    /** {@link #mountOf} plus the mount options. */
    private static String[] mountFields(Path path, String mounts) {
        String[] best = null;
        for (String line : mounts.split("\n")) {
            String[] f = line.split(" ");
            if (f.length < 3) {
                continue;
            }
            String point = f[1].replace("\\040", " ");
            if (path.startsWith(Path.of(point)) && (best == null || point.length() >= best[1].length())) {
                best = new String[] {f[0], point, f[2], f.length > 3 ? f[3] : ""};
            }
        }
        return best;
    }
}
