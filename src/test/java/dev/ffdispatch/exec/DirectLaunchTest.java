package dev.ffdispatch.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.ffdispatch.TestTimeouts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectLaunchTest {
    @TempDir
    Path dir;

    private static JobSpec spec(List<byte[]> args, byte[] cwd, Map<String, String> env) {
        return new JobSpec("/bin/sh", args, cwd, env);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void plainArgumentsDirectoryAndEnvironmentNeedNoShell() {
        ProcessBuilder builder = DirectLaunch.builder(spec(List.of(bytes("-i"), bytes("it's $x `y`.mkv"), new byte[0]),
            bytes(dir.toString()), Map.of("TZ", "Europe/Berlin")));
        assertNotNull(builder);
        assertEquals(List.of("/bin/sh", "-i", "it's $x `y`.mkv", ""), builder.command());
        assertEquals(dir.toFile(), builder.directory());
        assertEquals("Europe/Berlin", builder.environment().get("TZ"));
    }

    /** Bytes no String can carry through the JVM's encoding: only the shell script passes them. */
    @Test
    void aNonUtf8ArgumentOrDirectoryNeedsTheShell() {
        byte[] latin1 = {'c', 'a', 'f', (byte) 0xe9}; // latin-1 café
        assertNull(DirectLaunch.builder(spec(List.of(latin1), new byte[0], Map.of())));
        assertNull(DirectLaunch.builder(spec(List.of(), latin1, Map.of())));
        assertNull(DirectLaunch.exact(new byte[] {(byte) 0xff, (byte) 0xfe}));
    }

    /** Either way the program gets exactly the bytes; a job that needs the shell still runs. */
    @Test
    void theLocalExecutorRunsBothKindsExactly() throws Exception {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try {
            LocalExecutor executor = new LocalExecutor(scheduler, TestTimeouts.SHORT);
            for (byte[] odd : List.of(bytes("plain"), new byte[] {'b', (byte) 0xff, '\n'})) {
                Path out = dir.resolve("out-" + odd.length);
                List<byte[]> args = List.of(bytes("-c"), bytes("printf '%s' \"$1\" > \"$2\""), bytes("sh"), odd,
                    bytes(out.toString()));
                java.io.ByteArrayOutputStream sink = new java.io.ByteArrayOutputStream();
                RunningJob job = executor.start(spec(args, new byte[0], Map.of()), new JobSink(sink, sink));
                assertEquals(0, job.exit().get(TestTimeouts.MEDIUM.toMillis(), TimeUnit.MILLISECONDS), sink.toString());
                assertArrayEquals(odd, Files.readAllBytes(out));
            }
        } finally {
            scheduler.shutdownNow();
        }
    }
}
