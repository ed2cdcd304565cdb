package dev.ffdispatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ffdispatch.TestTimeouts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ffdispatch doctor} against a real process named jellyfin (a script in a temporary
 * directory that waits on its stdin), started the ways Jellyfin installs start it.
 */
class DoctorJellyfinTest {
    private static final String JELLYFIN_FFMPEG = "/usr/lib/jellyfin-ffmpeg/ffmpeg";
    /** The source checkout's shim: doctor run from target/classes looks for it there. */
    private static final String SHIM = Path.of("bin/ffmpeg").toAbsolutePath().toString();

    @TempDir
    Path home;
    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stop() {
        started.forEach(Process::destroyForcibly);
    }

    /** Starts {@code <dir>/jellyfin args...} with the given environment added; returns it once /proc names it jellyfin. */
    private Process jellyfin(List<String> args, Map<String, String> env) throws Exception {
        Path dir = Files.createDirectories(home.resolve("jellyfin-" + started.size()));
        Path script = Files.writeString(dir.resolve("jellyfin"), "#!/bin/sh\nread line\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> command = new ArrayList<>(List.of(script.toString()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().remove("JELLYFIN_FFMPEG");
        pb.environment().putAll(env);
        Process p = pb.start();
        started.add(p);
        Path comm = Path.of("/proc", Long.toString(p.pid()), "comm");
        long deadline = System.nanoTime() + TestTimeouts.MEDIUM.toNanos();
        while (!Files.readString(comm).strip().equals("jellyfin")) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("pid " + p.pid() + " is not named jellyfin: " + Files.readString(comm));
            }
            Thread.sleep(10);
        }
        return p;
    }

    private CliRunner.Result doctor(String... extra) {
        List<String> args = new ArrayList<>(List.of("doctor"));
        args.addAll(List.of(extra));
        return new CliRunner(home).env("PATH", "/usr/bin:/bin").run(args.toArray(String[]::new));
    }

    /** The check about {@code process}'s ffmpeg, by its pid (another Jellyfin may run on the machine). */
    private JsonNode ffmpegCheck(Process process) throws Exception {
        JsonNode json = new ObjectMapper().readTree(doctor("--json").out());
        for (JsonNode c : json.get("checks")) {
            if (c.get("check").asText().endsWith(": ffmpeg") && c.get("detail").asText().startsWith("pid " + process.pid() + " ")) {
                return c;
            }
        }
        throw new AssertionError("no ffmpeg check for pid " + process.pid() + ": " + json);
    }

    @Test
    void jellyfinsOwnFfmpegFailsTheCheckAndDoctorNamesIt() throws Exception {
        Process p = jellyfin(List.of("--ffmpeg=" + JELLYFIN_FFMPEG), Map.of());
        JsonNode check = ffmpegCheck(p);
        assertEquals("fail", check.get("status").asText(), check.toString());
        assertTrue(check.get("detail").asText().contains(" runs " + JELLYFIN_FFMPEG + ", from its --ffmpeg option, not"
            + " ffdispatch's shim " + SHIM), check.toString());

        CliRunner.Result text = doctor();
        assertEquals(AdminExitCodes.ERROR, text.code(), text.toString());
        assertTrue(text.out().contains("[FAIL] jellyfin: ffmpeg: pid " + p.pid() + " ") || text.out().contains(
            "[FAIL] jellyfin pid " + p.pid() + ": ffmpeg: "), text.out());
        assertTrue(text.out().contains("fix: start Jellyfin with --ffmpeg=" + SHIM + " instead of --ffmpeg=" + JELLYFIN_FFMPEG),
            text.out());
    }

    @Test
    void theShimGivenAsOptionOrVariablePasses() throws Exception {
        Process option = jellyfin(List.of("--ffmpeg", SHIM), Map.of("TMPDIR", home.toString()));
        JsonNode byOption = ffmpegCheck(option);
        assertEquals("ok", byOption.get("status").asText(), byOption.toString());

        Process variable = jellyfin(List.of(), Map.of("JELLYFIN_FFMPEG", SHIM));
        JsonNode byVariable = ffmpegCheck(variable);
        assertEquals("ok", byVariable.get("status").asText(), byVariable.toString());
        assertTrue(byVariable.get("detail").asText().contains("from JELLYFIN_FFMPEG in its environment"), byVariable.toString());
    }

    @Test
    void theDocumentedDebianEditPutsTheShimOnJellyfinsCommandLine() throws Exception {
        // What jellyfin.service does: EnvironmentFile=/etc/default/jellyfin, then ExecStart=... $JELLYFIN_FFMPEG_OPT.
        Path defaults = Files.writeString(home.resolve("default-jellyfin"),
            "JELLYFIN_WEB_OPT=\"--webdir=/usr/share/jellyfin/web\"\nJELLYFIN_FFMPEG_OPT=\"--ffmpeg=" + JELLYFIN_FFMPEG + "\"\n");
        Process sed = new ProcessBuilder("sed", "-i", "s|^JELLYFIN_FFMPEG_OPT=.*|JELLYFIN_FFMPEG_OPT=\"--ffmpeg=" + SHIM + "\"|",
            defaults.toString()).inheritIO().start();
        assertEquals(0, sed.waitFor());
        Path script = Files.createDirectories(home.resolve("unit")).resolve("jellyfin");
        Files.writeString(script, "#!/bin/sh\nread line\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        ProcessBuilder unit = new ProcessBuilder("sh", "-c", ". \"$1\"; exec \"$2\" $JELLYFIN_WEB_OPT $JELLYFIN_FFMPEG_OPT",
            "sh", defaults.toString(), script.toString());
        Process p = unit.start();
        started.add(p);
        Path comm = Path.of("/proc", Long.toString(p.pid()), "comm");
        long deadline = System.nanoTime() + TestTimeouts.MEDIUM.toNanos();
        while (!Files.readString(comm).strip().equals("jellyfin") && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        JsonNode check = ffmpegCheck(p);
        assertEquals("ok", check.get("status").asText(), check.toString());
        assertTrue(check.get("detail").asText().contains(" runs " + SHIM + ", from its --ffmpeg option"), check.toString());
    }
}
