package dev.ffdispatch.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MainTest {
    @TempDir
    Path home;

    private CliRunner cli() {
        return new CliRunner(home);
    }

    @Test
    void versionAndHelpExitZero() {
        CliRunner.Result version = cli().run("--version");
        assertEquals(0, version.code(), version.toString());
        assertTrue(version.out().startsWith("ffdispatch "), version.toString());
        CliRunner.Result help = cli().run("--help");
        assertEquals(0, help.code());
        assertTrue(help.out().contains("host") && help.out().contains("completion"), help.out());
    }

    @Test
    void everyCommandHasHelp() {
        for (String[] cmd : new String[][] {{"host"}, {"host", "add"}, {"host", "list"}, {"host", "show"},
                {"host", "set"}, {"host", "remove"}, {"host", "drain"}, {"host", "enable"}, {"completion"}}) {
            String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(cmd), java.util.stream.Stream.of("--help"))
                    .toArray(String[]::new);
            CliRunner.Result r = cli().run(args);
            assertEquals(0, r.code(), r.toString());
            assertTrue(r.out().startsWith("Usage: ffdispatch " + String.join(" ", cmd)), r.toString());
        }
    }

    @Test
    void noCommandIsInvalidInput() {
        CliRunner.Result r = cli().run();
        assertEquals(AdminExitCodes.INVALID_INPUT, r.code());
        assertTrue(r.err().contains("give a command"), r.toString());
    }

    @Test
    void unknownCommandSuggestsTheNearestOne() {
        CliRunner.Result r = cli().run("host", "lst");
        assertEquals(AdminExitCodes.INVALID_INPUT, r.code());
        assertTrue(r.err().contains("Unmatched argument"), r.toString());
        assertTrue(r.err().contains("list"), r.toString());
        assertEquals("", r.out());
    }

    @Test
    void completionPrintsABashScript() {
        CliRunner.Result r = cli().run("completion");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("complete -F _complete_ffdispatch"), r.out().lines().limit(5).toList().toString());
        assertTrue(r.out().contains("drain"), "subcommands are completed");
    }

    @Test
    void configErrorsAreInvalidInputWithFileAndLine() throws IOException {
        Files.writeString(home.resolve("ffdispatch.yml"), "poll:\n  intervall: 3s\n");
        CliRunner.Result r = cli().run("host", "list");
        assertEquals(AdminExitCodes.INVALID_INPUT, r.code());
        assertEquals("ffdispatch: " + home.resolve("ffdispatch.yml") + ":2:3: key 'poll.intervall' is not known;"
                + " known keys here: interval, timeout, backoff_max, wake_interval\n", r.err());
    }

    @Test
    void configOptionWorksBeforeAndAfterTheVerb() throws IOException {
        Path db = home.resolve("elsewhere.db");
        Path file = Files.writeString(home.resolve("other.yml"), "state:\n  database: " + db + "\n");
        assertEquals(0, cli().run("--config", file.toString(), "host", "add", "w1").code());
        assertEquals(0, cli().run("host", "list", "--config", file.toString()).code());
        assertTrue(Files.exists(db));
        assertFalse(Files.exists(home.resolve("ffdispatch.db")));
    }

    @Test
    void stackTracesOnlyWithVerbose() {
        CliRunner.Result quiet = cli().run("host", "show", "nope");
        assertFalse(quiet.err().contains("\tat "), quiet.toString());
        CliRunner.Result verbose = cli().run("-v", "host", "show", "nope");
        assertEquals(quiet.code(), verbose.code());
        assertTrue(verbose.err().contains("\tat dev.ffdispatch"), verbose.toString());
    }

    @Test
    void unreadableDatabaseIsAnErrorNotABug() throws IOException {
        Files.writeString(home.resolve("ffdispatch.db"), "this is not a database, just some text ".repeat(100));
        CliRunner.Result r = cli().run("host", "list");
        assertEquals(AdminExitCodes.ERROR, r.code(), r.toString());
        assertTrue(r.err().contains(home.resolve("ffdispatch.db").toString()), r.toString());
    }
}
