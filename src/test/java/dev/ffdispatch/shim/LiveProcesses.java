package dev.ffdispatch.shim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Running processes on this machine, read from /proc: what a killed shim may have left behind. */
final class LiveProcesses {
    private LiveProcesses() {
    }

    /** PIDs of live (not zombie) processes whose program is ffmpeg and whose arguments include {@code marker}. */
    static List<Long> ffmpegWith(String marker) throws IOException {
        List<Long> found = new ArrayList<>();
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            for (Path proc : entries.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                List<String> argv = argv(proc);
                if (!argv.isEmpty() && argv.get(0).endsWith("ffmpeg") && argv.stream().anyMatch(a -> a.contains(marker))
                        && !zombie(proc)) {
                    found.add(Long.parseLong(proc.getFileName().toString()));
                }
            }
        }
        return found;
    }

    private static List<String> argv(Path proc) {
        try {
            String cmdline = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8);
            return cmdline.isEmpty() ? List.of() : List.of(cmdline.split("\0"));
        } catch (IOException e) {
            return List.of(); // ended while we looked
        }
    }

    /** The state letter follows the parenthesised command name in /proc/<pid>/stat. */
    private static boolean zombie(Path proc) {
        try {
            String stat = Files.readString(proc.resolve("stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) == 'Z';
        } catch (IOException | RuntimeException e) {
            return true; // gone
        }
    }
}
