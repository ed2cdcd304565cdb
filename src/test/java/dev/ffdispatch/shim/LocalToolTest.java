package dev.ffdispatch.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalToolTest {
    @TempDir
    Path dir;

    @Test
    void runsWithExactBytesAndReturnsTheExitCode() throws Exception {
        Path program = dir.resolve("prog");
        Files.writeString(program, "#!/bin/sh\nprintf '%s|' \"$@\" > \"$0.out\"\nexit 5\n");
        program.toFile().setExecutable(true);
        int code = LocalTool.run(program.toString(), List.of("".getBytes(StandardCharsets.UTF_8), "a b".getBytes(StandardCharsets.UTF_8)));
        assertEquals(5, code);
        assertEquals("|a b|", Files.readString(Path.of(program + ".out")));
    }
}
