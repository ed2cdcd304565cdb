package dev.ffdispatch.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ffdispatch.TestTimeouts;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The native client's frame reader (src/main/c/frames.c), through its C unit test
 * (src/test/c/frames_test.c: table cases, plus 200000 generated streams checked against a direct
 * reading of the format and against every split into reads), built with ASan and UBSan. The
 * fuzzer runs the same checks on inputs it finds itself (src/test/c/fuzz, in CI).
 */
class NativeFramesTest {
    private static final Path SANITIZED = ShimClient.nativeDir().resolve("sanitize");

    @Test
    void theFrameReaderPassesItsCasesAndGeneratedStreamsUnderSanitizers() throws Exception {
        Result r = run(SANITIZED.resolve("frames-test"), Map.of());
        assertEquals(0, r.code, r.output);
        assertTrue(r.output.startsWith("frames-test: ") && r.output.contains(" cases and 200000 generated streams ok"), r.output);
    }

    /** A build that silently dropped -fsanitize would pass everything and check nothing. */
    @Test
    void theTestBuildsAreInstrumented() throws Exception {
        for (String binary : new String[] {"frames-test", "ffdispatch-client"}) {
            Result r = run(SANITIZED.resolve(binary), Map.of("ASAN_OPTIONS", "help=1"));
            assertTrue(r.output.contains("Available flags for AddressSanitizer"), binary + ": " + r.output);
        }
    }

    private record Result(int code, String output) {
    }

    private static Result run(Path binary, Map<String, String> env) throws Exception {
        assertTrue(Files.isExecutable(binary), "no " + binary + ": mvn process-test-classes builds it (needs gcc)");
        ProcessBuilder builder = new ProcessBuilder(binary.toString()).redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().putAll(env);
        Process p = builder.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(TestTimeouts.MEDIUM.toMillis(), TimeUnit.MILLISECONDS), binary + " did not finish");
        return new Result(p.exitValue(), output);
    }
}
