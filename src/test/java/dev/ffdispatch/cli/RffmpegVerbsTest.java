package dev.ffdispatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** rffmpeg's add, remove and clear: the ffdispatch command to run instead, exit 2, nothing changed. */
class RffmpegVerbsTest {
    @TempDir
    Path home;

    private CliRunner.Result run(String... args) {
        return new CliRunner(home).run(args);
    }

    @Test
    void addNamesHostAddWithTheSameArgumentsAndHostTrust() {
        CliRunner.Result r = run("add", "-w", "2", "--name", "gpu 1", "192.0.2.21");
        assertEquals(AdminExitCodes.INVALID_INPUT, r.code(), r.toString());
        assertEquals("", r.out());
        assertEquals("ffdispatch: 'add' is rffmpeg's command; ffdispatch adds a worker and pins its SSH host key with:\n"
            + "  ffdispatch host add 192.0.2.21 --name 'gpu 1' --weight 2\n"
            + "  ffdispatch host trust 'gpu 1'\n", r.err());
        assertEquals("no hosts yet; add one with: ffdispatch host add <address>\n", run("host", "list").out(),
            "nothing was added");
    }

    @Test
    void addWithoutArgumentsShowsPlaceholders() {
        CliRunner.Result r = run("add");
        assertEquals(AdminExitCodes.INVALID_INPUT, r.code());
        assertEquals("ffdispatch: 'add' is rffmpeg's command; ffdispatch adds a worker and pins its SSH host key with:\n"
            + "  ffdispatch host add <address>\n  ffdispatch host trust <name>\n", r.err());
    }

    @Test
    void removeNamesHostRemove() {
        assertEquals(0, run("host", "add", "w1").code());
        CliRunner.Result r = run("remove", "w1");
        assertEquals(AdminExitCodes.INVALID_INPUT, r.code(), r.toString());
        assertEquals("ffdispatch: 'remove' is rffmpeg's command; ffdispatch removes a worker with:\n"
            + "  ffdispatch host remove w1\n", r.err());
        assertEquals(0, run("host", "show", "w1").code(), "the host is still there");
    }

    @Test
    void clearExitsNonZeroAndNamesTheCommandsToRun() {
        CliRunner.Result r = run("clear", "w1");
        assertEquals(AdminExitCodes.INVALID_INPUT, r.code(), r.toString());
        assertEquals("", r.out());
        String[] lines = r.err().split("\n");
        assertEquals(3, lines.length, r.err());
        assertEquals("  ffdispatch status", lines[1]);
        assertEquals("  ffdispatch host enable w1", lines[2]);
        assertEquals(AdminExitCodes.INVALID_INPUT, run("clear").code());
    }
}
