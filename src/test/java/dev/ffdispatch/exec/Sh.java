package dev.ffdispatch.exec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Starts {@code /bin/sh} on a script the way a worker's login shell gets it. A UTF-8 script is
 * handed over as a file, so its bytes do not depend on the test JVM's locale; an ASCII-only
 * script goes through {@code sh -c}, as {@link LocalExecutor} does.
 */
final class Sh {
    private Sh() {
    }

    static Process start(String script, Path scratch) throws IOException {
        if (script.chars().allMatch(c -> c < 128)) {
            return new ProcessBuilder("/bin/sh", "-c", script).start();
        }
        Path file = Files.createTempFile(scratch, "cmd", ".sh");
        Files.write(file, script.getBytes(StandardCharsets.UTF_8));
        Process p = new ProcessBuilder("/bin/sh", file.toString()).start();
        p.onExit().thenRun(() -> file.toFile().delete());
        return p;
    }
}
