package dev.ffdispatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ffdispatch.TestTimeouts;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ffdispatch log} with log.file: the last lines, following, and the errors when there is no log to show. */
class LogCommandTest {
    @TempDir
    Path home;

    private Path logFile(int lines) throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= lines; i++) {
            text.append("12:00:0").append(i % 10).append(" INFO  Daemon: line ").append(i).append('\n');
        }
        return Files.writeString(home.resolve("daemon.log"), text);
    }

    private CliRunner cli(Path log) {
        return new CliRunner(home).env("FFDISPATCH_LOG_FILE", log.toString());
    }

    @Test
    void printsTheLastLinesOfLogFile() throws Exception {
        Path log = logFile(30);
        CliRunner.Result r = cli(log).run("log", "-n", "3");
        assertEquals(0, r.code(), r.toString());
        assertEquals("12:00:08 INFO  Daemon: line 28\n12:00:09 INFO  Daemon: line 29\n12:00:00 INFO  Daemon: line 30\n", r.out());
        assertEquals(30, cli(log).run("log").out().lines().count(), "default 100 lines: the whole short file");
        assertEquals("", cli(log).run("log", "--lines", "0").out());
    }

    @Test
    void aLastLineWithoutNewlineCounts() throws Exception {
        Path log = Files.writeString(home.resolve("daemon.log"), "a\nb\nc");
        assertEquals("b\nc", cli(log).run("log", "-n", "2").out());
    }

    @Test
    void followPrintsLinesAppendedLaterUntilInterrupted() throws Exception {
        Path log = logFile(2);
        StringWriter out = new StringWriter();
        AtomicInteger code = new AtomicInteger(-1);
        Thread follower = new Thread(() -> code.set(Main.run(new String[] {"log", "-f", "-n", "1"}, new PrintWriter(out),
            new PrintWriter(new StringWriter()), Map.of("FFDISPATCH_HOME", home.toString(), "FFDISPATCH_LOG_FILE", log.toString()))));
        follower.start();
        awaitContains(out, "line 2\n");
        Files.writeString(log, "12:01:00 INFO  Daemon: appended\n", StandardOpenOption.APPEND);
        awaitContains(out, "appended\n");
        follower.interrupt();
        follower.join(TestTimeouts.MEDIUM.toMillis());
        assertEquals(0, code.get(), out.toString());
        assertEquals("12:00:02 INFO  Daemon: line 2\n12:01:00 INFO  Daemon: appended\n", out.toString());
    }

    private static void awaitContains(StringWriter out, String text) throws InterruptedException {
        long deadline = System.nanoTime() + TestTimeouts.MEDIUM.toNanos();
        while (!out.toString().contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no '" + text + "' in: " + out);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void aMissingLogFileIsAnErrorThatAsksWhetherTheDaemonRuns() {
        CliRunner.Result r = cli(home.resolve("nope.log")).run("log");
        assertEquals(AdminExitCodes.ERROR, r.code(), r.toString());
        assertEquals("ffdispatch: log.file " + home.resolve("nope.log") + " does not exist; the daemon creates it when it"
            + " starts: is it running (ffdispatch status)?\n", r.err());
    }

    @Test
    void badLinesAreInvalidInput() throws Exception {
        assertEquals(AdminExitCodes.INVALID_INPUT, cli(logFile(1)).run("log", "-n", "-1").code());
    }
}
