package dev.ffdispatch.doctor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A directory laid out like /proc for the processes a test describes: comm, cmdline, environ. */
final class FakeProc {
    private final Path dir;

    FakeProc(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    /** @param env null: no environ file, as for another user's process */
    FakeProc process(long pid, String comm, List<String> args, Map<String, String> env) throws IOException {
        Path p = Files.createDirectories(dir.resolve(Long.toString(pid)));
        Files.writeString(p.resolve("comm"), comm + "\n");
        Files.write(p.resolve("cmdline"), nulJoined(args));
        if (env != null) {
            Files.write(p.resolve("environ"), nulJoined(env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()));
        }
        return this;
    }

    private static byte[] nulJoined(List<String> parts) {
        StringBuilder b = new StringBuilder();
        parts.forEach(s -> b.append(s).append('\0'));
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }
}
