package dev.ffdispatch.poll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ffdispatch.ssh.CommandResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FfmpegCountTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @Test
    void readsCountsWithTheWhitespaceLinuxAndMacWcPrint() throws Exception {
        assertEquals(0, parse("0\n"));
        assertEquals(3, parse("      3\n"), "macOS wc pads with spaces");
        assertEquals(12, parse("12\r\n"));
        assertEquals(7, parse("7"));
    }

    @Test
    void garbageIsAFailureThatQuotesTheOutputAndNamesTheFix() {
        String message = failure("Welcome to Ubuntu 22.04\n3\n");
        assertTrue(message.contains("\"Welcome to Ubuntu 22.04\\n3\\n\""), message);
        assertTrue(message.contains("/bin/sh"), message);
        assertTrue(failure("").contains("printed \"\""));
        assertTrue(failure("-1\n").contains("\"-1\\n\""));
        assertTrue(failure("99999999999\n").contains("instead of a number"), "does not fit an int");
        assertTrue(failure("\u001b[31mred").contains("\\x1b"), "control characters made visible");
    }

    @Test
    void longOutputIsCutInTheMessage() {
        String message = failure("x".repeat(500));
        assertTrue(message.contains("x".repeat(80) + "...\""), message);
        assertTrue(message.length() < 300, message);
    }

    @Test
    void nonZeroExitIsAFailureWithStderr() {
        CommandResult result = new CommandResult(127, new byte[0],
                "sh: pgrep: not found\n".getBytes(StandardCharsets.UTF_8), Duration.ofMillis(3));
        String message = assertThrows(ProbeFailedException.class, () -> FfmpegCount.parse(result, TIMEOUT))
                .getMessage();
        assertTrue(message.contains("code 127") && message.contains("pgrep: not found"), message);
    }

    @Test
    void anAnswerLaterThanTheTimeoutIsAFailure() {
        CommandResult late = FakeRunner.result("1\n", Duration.ofMillis(5001));
        String message = assertThrows(ProbeFailedException.class, () -> FfmpegCount.parse(late, TIMEOUT))
                .getMessage();
        assertTrue(message.contains("5001 ms, over poll.timeout (5000 ms)"), message);
    }

    private static int parse(String stdout) throws ProbeFailedException {
        return FfmpegCount.parse(FakeRunner.result(stdout, Duration.ofMillis(4)), TIMEOUT);
    }

    private static String failure(String stdout) {
        return assertThrows(ProbeFailedException.class, () -> parse(stdout)).getMessage();
    }
}
