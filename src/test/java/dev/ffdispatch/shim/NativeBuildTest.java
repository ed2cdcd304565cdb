package dev.ffdispatch.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ffdispatch.TestTimeouts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * src/main/c/build with a compiler that is there but fails (a partial toolchain: on a machine seen
 * in the field, gcc could not find its cc1): the build goes on without that architecture's client
 * and says so, unless every client is required. The compiler here is a script that fails as gcc
 * does, found first on PATH.
 */
class NativeBuildTest {
    private static final Path BUILD = Path.of("src/main/c/build");

    @TempDir
    Path dir;

    @Test
    void aFailingCompilerCostsItsClientNotTheBuild() throws Exception {
        Result r = build("require=none");
        assertEquals(0, r.code, r.output);
        assertTrue(r.output.contains("linux-amd64 client NOT built: x86_64-linux-gnu-gcc failed"), r.output);
        assertFalse(Files.exists(dir.resolve("out/linux-amd64/ffdispatch-client")), r.output);
    }

    @Test
    void aFailingCompilerFailsTheBuildWhenEveryClientIsRequired() throws Exception {
        Result r = build("require=all");
        assertEquals(1, r.code, r.output);
        assertTrue(r.output.contains("required clients not built: amd64"), r.output);
    }

    private Result build(String require) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path gcc = bin.resolve("x86_64-linux-gnu-gcc");
        Files.writeString(gcc, "#!/bin/sh\necho \"x86_64-linux-gnu-gcc: fatal error: cannot execute 'cc1'\" >&2\nexit 1\n");
        Files.setPosixFilePermissions(gcc, PosixFilePermissions.fromString("rwxr-xr-x"));
        ProcessBuilder pb = new ProcessBuilder(List.of("sh", BUILD.toString(), dir.resolve("out").toString(), "release",
            "amd64=build", "arm64=skip", require)).redirectErrorStream(true);
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(TestTimeouts.MEDIUM.toMillis(), TimeUnit.MILLISECONDS), output);
        return new Result(p.exitValue(), output);
    }

    private record Result(int code, String output) {
    }
}
