package dev.ffdispatch.workersetup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ffdispatch.doctor.Check;
import java.util.List;
import org.junit.jupiter.api.Test;

class MountCheckTest {
    @Test
    void attributeCachingIsFreshWithActimeoOneNoacOrLookupcache() {
        assertTrue(MountCheck.attributesFresh("rw,hard,actimeo=1"));
        assertTrue(MountCheck.attributesFresh("rw,vers=4.2,acregmin=1,acregmax=1,acdirmin=1,acdirmax=1,hard"));
        assertTrue(MountCheck.attributesFresh("rw,noac"));
        assertTrue(MountCheck.attributesFresh("rw,lookupcache=positive"));
        assertFalse(MountCheck.attributesFresh("rw,relatime,vers=4.2,rsize=1048576,hard,proto=tcp"));
        assertFalse(MountCheck.attributesFresh("rw,actimeo=30"));
        assertFalse(MountCheck.attributesFresh("rw,acregmax=1"), "directory attributes still cached");
        assertFalse(MountCheck.attributesFresh("rw,noacl"));
    }

    @Test
    void nfsTranscodesWithoutActimeoWarnsMediaDoesNot() {
        Check late = MountCheck.judge("fs", "nfs4", "rw,hard", true, false);
        assertEquals(Check.Status.WARN, late.status());
        assertTrue(late.detail().contains("new HLS segments show up late"), late.detail());
        assertTrue(late.fix().contains("actimeo=1"), late.fix());
        assertEquals(Check.Status.OK, MountCheck.judge("fs", "nfs4", "rw,actimeo=1", true, false).status());
        assertEquals(Check.Status.OK, MountCheck.judge("fs", "nfs4", "ro,hard", false, false).status());
        assertEquals(Check.Status.OK, MountCheck.judge("fs", "cifs", "rw", true, false).status());
    }

    @Test
    void localDiskFailsForTranscodesOnAnotherMachineOnly() {
        assertEquals(Check.Status.FAIL, MountCheck.judge("fs", "ext4", "rw", true, false).status());
        assertEquals(Check.Status.OK, MountCheck.judge("fs", "ext4", "rw", true, true).status());
        assertEquals(Check.Status.WARN, MountCheck.judge("fs", "ext4", "rw", false, false).status());
        assertEquals(Check.Status.WARN, MountCheck.judge("fs", null, "", true, false).status());
    }

    @Test
    void findmntAndProcMountsAnswersAreParsed() {
        assertEquals(List.of("nfs4", "rw,relatime,actimeo=1"), List.of(SharedDirs.parse("nfs4   rw,relatime,actimeo=1\n")));
        String proc = "@/srv/cache/transcodes\n/dev/sda1 / ext4 rw,relatime 0 0\n"
            + "fs:/export /srv/cache nfs4 rw,hard,acregmax=1,acdirmax=1 0 0\n";
        assertEquals(List.of("nfs4", "rw,hard,acregmax=1,acdirmax=1"), List.of(SharedDirs.parse(proc)));
        assertNull(SharedDirs.parse(""));
        assertNull(SharedDirs.parse("@\n"));
    }
}
