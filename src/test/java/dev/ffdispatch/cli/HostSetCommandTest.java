package dev.ffdispatch.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HostSetCommandTest {
    @TempDir
    Path home;

    private CliRunner.Result run(String... args) {
        return new CliRunner(home).run(args);
    }

    @BeforeEach
    void addHost() {
        assertEquals(0, run("host", "add", "w1", "--user", "ff", "--max-jobs", "2", "--map", "/a=/b").code());
    }

    @Test
    void changesOnlyWhatIsGiven() {
        CliRunner.Result r = run("host", "set", "w1", "--weight", "7");
        assertEquals(0, r.code(), r.toString());
        assertEquals("updated host 'w1' (ff@w1:22, weight 7, max_jobs 2, enabled)\n", r.out());
    }

    @Test
    void resetsOptionalValues() {
        CliRunner.Result r = run("host", "set", "w1", "--user", "", "--max-jobs", "none", "--no-maps", "--address", "w1.lan");
        assertEquals(0, r.code(), r.toString());
        String show = run("host", "show", "w1").out();
        assertTrue(show.contains("user:     ffdispatch (ssh.user)"), show);
        assertTrue(show.contains("max_jobs: none"), show);
        assertTrue(show.contains("mappings: -"), show);
        assertTrue(show.contains("address:  w1.lan"), show);
    }

    @Test
    void unknownHostListsKnownNames() {
        CliRunner.Result r = run("host", "set", "w9", "--weight", "2");
        assertEquals(AdminExitCodes.INVALID_INPUT, r.code());
        assertEquals("ffdispatch: host 'w9' is not known; known hosts: w1\n", r.err());
    }

    @Test
    void nothingToChangeOrContradictionIsInvalidInput() {
        assertEquals(AdminExitCodes.INVALID_INPUT, run("host", "set", "w1").code());
        assertEquals(AdminExitCodes.INVALID_INPUT, run("host", "set", "w1", "--no-maps", "--map", "/x=/y").code());
        CliRunner.Result r = run("host", "set", "w1", "--weight", "0");
        assertEquals(AdminExitCodes.INVALID_INPUT, r.code());
        assertTrue(run("host", "show", "w1").out().contains("weight:   1"), "unchanged after refusal");
    }
}
