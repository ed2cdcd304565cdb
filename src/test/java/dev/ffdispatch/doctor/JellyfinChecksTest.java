package dev.ffdispatch.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Jellyfin checks on a described /proc and filesystem, one per install type. */
class JellyfinChecksTest {
    private static final String SHIM = "/usr/lib/ffdispatch/bin/ffmpeg";
    private static final String JELLYFIN_FFMPEG = "/usr/lib/jellyfin-ffmpeg/ffmpeg";

    @TempDir
    Path dir;
    private Path root;
    private FakeProc proc;

    @BeforeEach
    void layout() throws Exception {
        root = Files.createDirectories(dir.resolve("root"));
        proc = new FakeProc(Files.createDirectories(dir.resolve("proc")));
        Path bin = Files.createDirectories(root.resolve("usr/lib/ffdispatch/bin"));
        Files.writeString(bin.resolve("ffdispatch-shim"), "#!/bin/sh\n");
        Files.createSymbolicLink(bin.resolve("ffmpeg"), Path.of("ffdispatch-shim"));
        Path ff = Files.createDirectories(root.resolve("usr/lib/jellyfin-ffmpeg"));
        Files.writeString(ff.resolve("ffmpeg"), "binary");
    }

    private List<Check> checks() {
        return new JellyfinChecks(proc.dir(), root, SHIM).check();
    }

    private static Check named(List<Check> checks, String name) {
        return checks.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow(() -> new AssertionError(checks.toString()));
    }

    private void debianDefaults() throws Exception {
        Files.createDirectories(root.resolve("etc/default"));
        Files.writeString(root.resolve("etc/default/jellyfin"), "# Jellyfin default configuration options\n\n"
            + "JELLYFIN_DATA_DIR=\"/var/lib/jellyfin\"\n#TMPDIR=\"/tmp\"\n"
            + "JELLYFIN_FFMPEG_OPT=\"--ffmpeg=" + JELLYFIN_FFMPEG + "\"\n");
    }

    @Test
    void debianPackageWithItsOwnFfmpegFailsAndNamesTheLineToChange() throws Exception {
        debianDefaults();
        proc.process(812, "jellyfin", List.of("/usr/bin/jellyfin", "--webdir=/usr/share/jellyfin/web",
            "--ffmpeg=" + JELLYFIN_FFMPEG), Map.of("JELLYFIN_DATA_DIR", "/var/lib/jellyfin"));
        List<Check> checks = checks();
        Check ffmpeg = named(checks, "jellyfin: ffmpeg");
        assertEquals(Check.Status.FAIL, ffmpeg.status(), checks.toString());
        assertEquals("pid 812 (Debian/Ubuntu package) runs " + JELLYFIN_FFMPEG + ", from its --ffmpeg option, not ffdispatch's"
            + " shim " + SHIM + ": every job runs on this machine", ffmpeg.detail());
        assertEquals("in /etc/default/jellyfin change line 5 from JELLYFIN_FFMPEG_OPT=\"--ffmpeg=" + JELLYFIN_FFMPEG
            + "\" to JELLYFIN_FFMPEG_OPT=\"--ffmpeg=" + SHIM + "\", then: sudo systemctl restart jellyfin", ffmpeg.fix());
        Check tmp = named(checks, "jellyfin: TMPDIR");
        assertEquals(Check.Status.WARN, tmp.status());
        assertTrue(tmp.detail().startsWith("not set, so Jellyfin writes image extractions and trickplay tiles to /tmp/jellyfin"),
            tmp.detail());
        assertEquals("in /etc/default/jellyfin add: TMPDIR=\"/var/cache/jellyfin/temp\" (under the directory the workers"
            + " mount), then: sudo systemctl restart jellyfin", tmp.fix());
    }

    @Test
    void debianPackageRunningTheShimWithASharedTmpdirPasses() throws Exception {
        debianDefaults();
        proc.process(812, "jellyfin", List.of("/usr/bin/jellyfin", "--ffmpeg=" + SHIM),
            Map.of("TMPDIR", "/var/cache/jellyfin/temp"));
        JellyfinChecks jellyfin = new JellyfinChecks(proc.dir(), root, SHIM);
        List<Check> checks = jellyfin.check();
        assertEquals(Check.Status.OK, named(checks, "jellyfin: ffmpeg").status(), checks.toString());
        assertEquals(Check.Status.OK, named(checks, "jellyfin: TMPDIR").status(), checks.toString());
        assertEquals(List.of(Path.of("/var/cache/jellyfin/temp/jellyfin")), jellyfin.tempDirs());
        assertEquals(List.of(), jellyfin.transcodeDirs(), "no cache directory known");
    }

    @Test
    void anyPathThatResolvesToTheLauncherIsTheShim() throws Exception {
        Files.createDirectories(root.resolve("opt"));
        Files.createSymbolicLink(root.resolve("opt/ffmpeg"), Path.of("../usr/lib/ffdispatch/bin/ffdispatch-shim"));
        proc.process(9, "jellyfin", List.of("/usr/bin/jellyfin", "--ffmpeg", "/opt/ffmpeg"), Map.of("TMPDIR", "/srv/tmp"));
        assertEquals(Check.Status.OK, named(checks(), "jellyfin: ffmpeg").status(), checks().toString());
    }

    @Test
    void officialImageTakesTheVariable() throws Exception {
        proc.process(1, "jellyfin", List.of("/jellyfin/jellyfin"), Map.of("JELLYFIN_FFMPEG", JELLYFIN_FFMPEG,
            "JELLYFIN_CACHE_DIR", "/cache"));
        JellyfinChecks jellyfin = new JellyfinChecks(proc.dir(), root, SHIM);
        jellyfin.check();
        assertEquals(List.of(Path.of("/cache/transcodes")), jellyfin.transcodeDirs());
        Check ffmpeg = named(checks(), "jellyfin: ffmpeg");
        assertEquals(Check.Status.FAIL, ffmpeg.status());
        assertTrue(ffmpeg.detail().contains("(jellyfin/jellyfin image) runs " + JELLYFIN_FFMPEG + ", from JELLYFIN_FFMPEG"),
            ffmpeg.detail());
        assertEquals("set JELLYFIN_FFMPEG=" + SHIM + " in the container's environment (the jellyfin-ffdispatch image does),"
            + " then recreate the container", ffmpeg.fix());
        assertTrue(named(checks(), "jellyfin: TMPDIR").fix().startsWith("set TMPDIR=/cache/tmp"));
    }

    @Test
    void linuxserverImageWithTheModNamesFfmpegPath() throws Exception {
        Files.createDirectories(root.resolve("etc/s6-overlay/s6-rc.d/svc-jellyfin"));
        Files.writeString(root.resolve("etc/s6-overlay/s6-rc.d/svc-jellyfin/run"), "#!/bin/sh\n");
        Files.createDirectories(root.resolve("etc/s6-overlay/s6-rc.d/svc-mod-jellyfin-ffdispatch"));
        debianDefaults(); // the linuxserver.io image installs the Debian package too
        proc.process(400, "jellyfin", List.of("/usr/bin/jellyfin", "--ffmpeg=" + JELLYFIN_FFMPEG),
            Map.of("FFMPEG_PATH", JELLYFIN_FFMPEG));
        Check ffmpeg = named(checks(), "jellyfin: ffmpeg");
        assertEquals(Check.Status.FAIL, ffmpeg.status());
        assertTrue(ffmpeg.detail().contains("(linuxserver.io image)"), ffmpeg.detail());
        assertTrue(ffmpeg.fix().startsWith("remove FFMPEG_PATH from the container's environment (the ffdispatch mod then sets"
            + " it), or set FFMPEG_PATH=" + SHIM), ffmpeg.fix());
    }

    @Test
    void anUnreadableEnvironmentIsAWarningThatAsksForRoot() throws Exception {
        Files.createDirectories(root.resolve("config/config"));
        Files.writeString(root.resolve("config/config/encoding.xml"),
            "<EncodingOptions><EncoderAppPathDisplay>" + SHIM + "</EncoderAppPathDisplay></EncodingOptions>");
        proc.process(1, "jellyfin", List.of("/jellyfin/jellyfin"), null);
        List<Check> checks = checks();
        Check ffmpeg = named(checks, "jellyfin: ffmpeg");
        assertEquals(Check.Status.WARN, ffmpeg.status(), checks.toString());
        assertTrue(ffmpeg.fix().startsWith("run doctor as root"), ffmpeg.fix());
        assertEquals(Check.Status.WARN, named(checks, "jellyfin: TMPDIR").status());
    }

    @Test
    void severalJellyfinsAreCheckedEachByPid() throws Exception {
        proc.process(7, "jellyfin", List.of("/usr/bin/jellyfin", "--ffmpeg=" + SHIM), Map.of("TMPDIR", "/srv/a"))
            .process(8, "dotnet", List.of("dotnet", "/opt/jf/jellyfin.dll", "--ffmpeg=" + JELLYFIN_FFMPEG), Map.of());
        List<Check> checks = checks();
        assertEquals(Check.Status.OK, named(checks, "jellyfin pid 7: ffmpeg").status());
        Check other = named(checks, "jellyfin pid 8: ffmpeg");
        assertEquals(Check.Status.FAIL, other.status());
        assertEquals("start Jellyfin with --ffmpeg=" + SHIM + " instead of --ffmpeg=" + JELLYFIN_FFMPEG, other.fix());
    }

    @Test
    void noJellyfinIsAWarning() {
        List<Check> checks = checks();
        assertEquals(1, checks.size());
        assertEquals(Check.Status.WARN, checks.get(0).status());
        assertTrue(checks.get(0).detail().startsWith("no running Jellyfin here"), checks.toString());
    }
}
