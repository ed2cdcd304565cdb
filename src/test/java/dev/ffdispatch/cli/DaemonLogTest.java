package dev.ffdispatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where {@code ffdispatch log} looks without log.file: the journal when systemd runs (a stand-in
 * journalctl on PATH records how it is called), else an error that says where the log went.
 */
class DaemonLogTest {
    @TempDir
    Path dir;

    private Path journalctl(String script) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path program = Files.writeString(bin.resolve("journalctl"), "#!/bin/sh\n" + script);
        Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwxr-xr-x"));
        return bin;
    }

    @Test
    void underSystemdItRelaysTheUnitsJournal() throws Exception {
        Path bin = journalctl("echo \"args: $*\"\necho 'Nov 30 ffdispatch[42]: INFO  Daemon: started'\necho warn >&2\n");
        Path systemd = Files.createDirectories(dir.resolve("run-systemd-system"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new DaemonLog(null, systemd, bin.toString()).show(20, false, new PrintWriter(out), new PrintWriter(err));
        assertEquals(0, code);
        assertEquals("args: -u ffdispatch.service -n 20 --no-pager\nNov 30 ffdispatch[42]: INFO  Daemon: started\n", out.toString());
        assertEquals("warn\n", err.toString());
    }

    @Test
    void followAddsDashFAndAFailingJournalctlIsAnError() throws Exception {
        Path bin = journalctl("echo \"args: $*\"\nexit 1\n");
        Path systemd = Files.createDirectories(dir.resolve("run-systemd-system"));
        StringWriter out = new StringWriter();
        int code = new DaemonLog(null, systemd, bin.toString()).show(5, true, new PrintWriter(out), new PrintWriter(new StringWriter()));
        assertEquals(AdminExitCodes.ERROR, code);
        assertEquals("args: -u ffdispatch.service -n 5 --no-pager -f\n", out.toString());
    }

    @Test
    void withoutSystemdOrLogFileItSaysWhereTheLogWent() {
        CliException e = assertThrows(CliException.class, () -> new DaemonLog(null, dir.resolve("absent"), "/usr/bin")
            .show(10, false, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter())));
        assertEquals(AdminExitCodes.ERROR, e.code());
        assertTrue(e.getMessage().contains("docker logs <container>") && e.getMessage().contains("FFDISPATCH_LOG_FILE"),
            e.getMessage());
    }

    @Test
    void logFileWinsOverTheJournal() throws Exception {
        Path systemd = Files.createDirectories(dir.resolve("run-systemd-system"));
        Path log = Files.writeString(dir.resolve("d.log"), "from the file\n");
        StringWriter out = new StringWriter();
        new DaemonLog(log, systemd, journalctl("echo journal\n").toString()).show(10, false, new PrintWriter(out),
            new PrintWriter(new StringWriter()));
        assertEquals("from the file\n", out.toString());
    }
}
