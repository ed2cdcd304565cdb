package dev.ffdispatch.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ffdispatch.TestTimeouts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker-side probe, run by this machine's {@code /bin/sh} as sshd would run it: its count of
 * processes named {@code ffmpeg} is the one {@code pgrep -x ffmpeg} gives, with processes of that
 * name running (copies of {@code sleep} named ffmpeg, and one named ffmpeg-x that must not count).
 */
class WorkerCommandsTest {
    @TempDir
    Path dir;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stop() {
        started.forEach(Process::destroyForcibly);
    }

    @Test
    void theOneShotCountIsPgrepsCount() throws Exception {
        startNamed("ffmpeg", 3);
        startNamed("ffmpeg-x", 1);
        assertCountsAsPgrep(() -> answer(WorkerCommands.FFMPEG_COUNT, "").trim());
    }

    @Test
    void theLinkCountsAsPgrepToo() throws Exception {
        startNamed("ffmpeg", 2);
        String token = "t1";
        assertCountsAsPgrep(() -> {
            String out = answer(WorkerCommands.link(token), WorkerCommands.request(7, WorkerCommands.Request.count()) + "\n");
            assertTrue(out.startsWith(WorkerCommands.readyLine(token) + "\n"), out);
            String answer = out.substring(out.indexOf('\n') + 1).trim();
            assertTrue(answer.startsWith("7 "), answer);
            return answer.substring(2);
        });
    }

    private interface Counter {
        String count() throws Exception;
    }

    /**
     * Other tests may start or end an ffmpeg meanwhile: the script's answer must equal pgrep's
     * read just before and just after it, in one of a few tries.
     */
    private static void assertCountsAsPgrep(Counter counter) throws Exception {
        String last = "";
        for (int attempt = 0; attempt < 5; attempt++) {
            int before = pgrepCount();
            String answer = counter.count();
            int after = pgrepCount();
            if (before == after) {
                assertTrue(before >= 2, "pgrep sees the started processes: " + before);
                assertEquals("ok " + before, answer);
                return;
            }
            last = before + " then " + after + ", answered " + answer;
        }
        throw new AssertionError("ffmpeg processes kept changing around the count: " + last);
    }

    private void startNamed(String name, int n) throws IOException {
        Path program = dir.resolve(name);
        Files.copy(Path.of("/bin/sleep"), program, StandardCopyOption.REPLACE_EXISTING);
        for (int i = 0; i < n; i++) {
            started.add(new ProcessBuilder(program.toString(), "60").start());
        }
    }

    /** Runs {@code command} as sshd does for a /bin/sh login ({@code sh -c command}), with {@code input}. */
    private static String answer(String command, String input) throws Exception {
        Process p = new ProcessBuilder("/bin/sh", "-c", command).redirectErrorStream(true).start();
        p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(TestTimeouts.SHORT.toMillis(), TimeUnit.MILLISECONDS), out);
        return out;
    }

    private static int pgrepCount() throws Exception {
        Process p = new ProcessBuilder("pgrep", "-x", "ffmpeg").start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out.isBlank() ? 0 : out.strip().split("\n").length;
    }
}
