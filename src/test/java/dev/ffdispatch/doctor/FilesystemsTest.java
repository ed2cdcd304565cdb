package dev.ffdispatch.doctor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilesystemsTest {
    private static final String MOUNTS = """
        /dev/sda1 / ext4 rw,relatime 0 0
        tank/cache /var/cache zfs rw,xattr 0 0
        tmpfs /var/cache/jellyfin/transcodes tmpfs rw 0 0
        nas:/media /mnt/my\\040media nfs4 rw 0 0
        """;

    @TempDir
    Path dir;

    @Test
    void theLongestMountPointWins() {
        assertArrayEquals(new String[] {"tmpfs", "/var/cache/jellyfin/transcodes", "tmpfs"},
            Filesystems.mountOf(Path.of("/var/cache/jellyfin/transcodes/x"), MOUNTS));
        assertEquals("zfs", Filesystems.mountOf(Path.of("/var/cache/jellyfin"), MOUNTS)[2]);
        assertEquals("/mnt/my media", Filesystems.mountOf(Path.of("/mnt/my media/tv"), MOUNTS)[1]);
        assertEquals("ext4", Filesystems.mountOf(Path.of("/var/cachet"), MOUNTS)[2], "a prefix of a name is no mount");
        assertNull(Filesystems.mountOf(Path.of("/x"), ""));
    }

    @Test
    void tmpfsAndSharesAreRightSnapshottedDatasetsAreWarned() {
        String root = dir.toAbsolutePath().toString();
        assertEquals(Check.Status.OK, Filesystems.transcodeDir(dir, "tmpfs " + root + " tmpfs rw 0 0\n").status());
        assertEquals(Check.Status.OK, Filesystems.transcodeDir(dir, "nas:/t " + root + " nfs4 rw 0 0\n").status());
        assertEquals(Check.Status.OK, Filesystems.transcodeDir(dir, "//nas/t " + root + " cifs rw 0 0\n").status());
        Check zfs = Filesystems.transcodeDir(dir, "tank/t " + root + " zfs rw 0 0\n");
        assertEquals(Check.Status.WARN, zfs.status());
        assertTrue(zfs.detail().contains("snapshots and backups"), zfs.detail());
        assertTrue(zfs.fix().contains("tmpfs"), zfs.fix());
        assertEquals(Check.Status.WARN, Filesystems.transcodeDir(dir, "/dev/x " + root + " btrfs rw 0 0\n").status());
        assertEquals(Check.Status.OK, Filesystems.transcodeDir(dir, "/dev/x / ext4 rw 0 0\n").status());
    }

    @Test
    void versionsParseLikeJellyfinDoes() {
        assertEquals("5.1.6", FfmpegVersion.parse("ffmpeg version 5.1.6-0+deb12u1 Copyright".getBytes()));
        assertEquals("6.0.1", FfmpegVersion.parse("ffmpeg version n6.0.1-Jellyfin Copyright".getBytes()));
        assertNull(FfmpegVersion.parse("ffmpeg version N-112233-gabcdef".getBytes()));
        assertEquals(6, FfmpegVersion.major("6.0.1"));
        assertEquals(-1, FfmpegVersion.major(null));
        assertTrue(FfmpegVersion.local("/usr/bin/ffmpeg", 10).matches("\\d+(\\.\\d+)*"));
        assertNull(FfmpegVersion.local("/nonexistent/ffmpeg", 10));
    }
}
