package dev.ffdispatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

/** What --help says: whole sentences in the command lists, every argument described, each command's own notes only. */
class HelpTextTest {
    @TempDir
    Path home;

    private CliRunner.Result run(String... args) {
        return new CliRunner(home).run(args);
    }

    /** The entries of a "Commands:" section, continuation lines joined: "name text". */
    private static List<String> commandEntries(String help) {
        List<String> entries = new ArrayList<>();
        boolean inCommands = false;
        for (String line : help.split("\n")) {
            if (line.equals("Commands:")) {
                inCommands = true;
            } else if (inCommands && line.isBlank()) {
                break;
            } else if (inCommands && line.matches(" {2}\\S.*")) {
                entries.add(line.strip());
            } else if (inCommands && line.matches(" {3,}\\S.*")) {
                entries.set(entries.size() - 1, entries.get(entries.size() - 1) + " " + line.strip());
            }
        }
        return entries;
    }

    @Test
    void everyCommandListEntryIsAWholeSentence() {
        for (String[] parent : new String[][] {{"--help"}, {"host", "--help"}}) {
            CliRunner.Result r = run(parent);
            assertEquals(0, r.code(), r.toString());
            List<String> entries = commandEntries(r.out());
            assertTrue(entries.size() >= 8, r.out());
            for (String entry : entries) {
                assertTrue(entry.endsWith("."), "cut mid-sentence in '" + String.join(" ", parent) + "': " + entry);
            }
        }
    }

    @Test
    void everyParameterAndOptionIsDescribed() {
        List<String> missing = new ArrayList<>();
        collect(Main.commandLine(new FfdispatchCommand(Map.of())).getCommandSpec(), missing);
        assertEquals(List.of(), missing);
    }

    private static void collect(CommandSpec spec, List<String> missing) {
        for (ArgSpec arg : spec.args()) {
            String[] text = arg.description();
            if (text.length == 0 || text[0].isBlank()) {
                missing.add(spec.qualifiedName() + " " + arg.paramLabel());
            }
        }
        for (CommandLine sub : spec.subcommands().values()) {
            collect(sub.getCommandSpec(), missing);
        }
    }

    @Test
    void hostAddShowsNothingAboutSetAndSetShowsHowToReset() {
        String add = run("host", "add", "--help").out().replaceAll("\\s+", " ");
        for (String setOnly : List.of("set:", "\"\" ", "none", "replaces")) {
            assertFalse(add.contains(setOnly), "'" + setOnly + "' in host add --help:\n" + add);
        }
        assertTrue(add.contains("SSH port 1..65535 (default: 22)."), add);
        String set = run("host", "set", "--help").out().replaceAll("\\s+", " ");
        assertTrue(set.contains("none removes the cap"), set);
        assertTrue(set.contains("\"\" goes back to ssh.user"), set);
        assertFalse(set.contains("add:"), set);
    }

    @Test
    void nameParametersSayWhereTheNameComesFrom() {
        for (String verb : List.of("show", "remove", "drain", "enable", "set", "trust")) {
            String help = run("host", verb, "--help").out();
            assertTrue(help.contains("<name>") && help.contains("The host's name, as 'ffdispatch host list' shows it"),
                verb + ":\n" + help);
        }
    }

    @Test
    void rffmpegVerbsAreHiddenAndLogIsListed() {
        List<String> names = commandEntries(run("--help").out()).stream().map(e -> e.split(" ")[0]).toList();
        assertTrue(names.contains("log"), names.toString());
        assertFalse(names.contains("add") || names.contains("remove") || names.contains("clear"), names.toString());
    }

    @Test
    void rootHelpListsTheExitCodes() {
        String help = run("--help").out();
        assertTrue(help.contains("Exit codes:\n  0   ok\n  1   error"), help);
        assertTrue(help.contains("4   internal error"), help);
    }
}
