package dev.ffdispatch.shim;

import dev.ffdispatch.posix.LocalPrograms;
import dev.ffdispatch.posix.PosixShell;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The emergency local run when the daemon is unreachable: runs the real ffmpeg/ffprobe that
 * {@link LocalPrograms#find} chose, with the exact argument bytes and inherited stdio.
 */
final class LocalTool {
    /**
     * Set in the local child's environment. Seeing it when the daemon is unreachable means a
     * local run started the shim again (a copy of the launcher on PATH): stop instead of looping.
     */
    static final String LOCAL_RUN_ENV = "FFDISPATCH_LOCAL_RUN";
    /**
     * util-linux's setpriv (essential on Debian): {@code --pdeathsig KILL} makes the kernel kill
     * the local program when this JVM dies, as it would die with a native client that exec'd it.
     */
    static final Path SETPRIV = Path.of("/usr/bin/setpriv");

    private LocalTool() {
    }

    /**
     * Runs {@code program} with {@code args} through {@code /bin/sh -c 'exec ...'}: the words are
     * pure ASCII (octal printf for other bytes), so the JVM's locale cannot alter them. Returns the
     * program's exit code; Java already reports a signal death as 128+N. Jellyfin SIGKILLs the
     * shim 5 s after 'q': through {@link #SETPRIV} the program dies with it instead of running on.
     */
    static int run(String program, List<byte[]> args) throws IOException, InterruptedException {
        List<byte[]> words = new ArrayList<>(args.size() + 1);
        words.add(program.getBytes(StandardCharsets.UTF_8));
        words.addAll(args);
        List<String> command = new ArrayList<>(7);
        if (Files.isExecutable(SETPRIV)) {
            command.addAll(List.of(SETPRIV.toString(), "--pdeathsig", "KILL", "--"));
        }
        command.addAll(List.of("/bin/sh", "-c", PosixShell.command("exec", words, true)));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put(LOCAL_RUN_ENV, program);
        return builder.inheritIO().start().waitFor();
    }
}
