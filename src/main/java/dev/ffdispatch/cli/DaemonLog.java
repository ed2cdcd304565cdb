package dev.ffdispatch.cli;

import dev.ffdispatch.posix.NamedThreads;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The daemon's log as this install keeps it: {@code log.file} when it is set (the daemon writes
 * it besides stderr), else the systemd journal of {@value #UNIT}, where stderr goes under systemd.
 * Anywhere else stderr went wherever the daemon's starter sent it, which only the user knows.
 */
final class DaemonLog {
    static final String UNIT = "ffdispatch.service";
    /** How often a followed file is checked for new bytes. */
    static final Duration FOLLOW_POLL = Duration.ofMillis(200);
    private static final int BLOCK = 8192;

    private final Path file;
    private final Path systemdRunning;
    private final String searchPath;

    /**
     * @param file {@code log.file}, or null when unset
     * @param systemdRunning the directory that exists while systemd is the init system
     * @param searchPath the PATH journalctl is looked up in
     */
    DaemonLog(Path file, Path systemdRunning, String searchPath) {
        this.file = file == null || file.toString().isBlank() ? null : file;
        this.systemdRunning = systemdRunning;
        this.searchPath = searchPath;
    }

    /** Prints the last {@code lines} lines, then with {@code follow} new ones until interrupted; returns the exit code. */
    int show(int lines, boolean follow, PrintWriter out, PrintWriter err) throws IOException, InterruptedException {
        if (file != null) {
            return showFile(lines, follow, out);
        }
        if (Files.isDirectory(systemdRunning)) {
            return journal(lines, follow, out, err);
        }
        throw new CliException(AdminExitCodes.ERROR, "no log.file is set and systemd is not running here, so the daemon's log went"
            + " to its stderr: in a container run 'docker logs <container>'; or set log.file (e.g."
            + " FFDISPATCH_LOG_FILE=/config/ffdispatch/ffdispatch.log) and restart the daemon");
    }

    private int showFile(int lines, boolean follow, PrintWriter out) throws IOException, InterruptedException {
        if (!Files.isRegularFile(file)) {
            throw new CliException(AdminExitCodes.ERROR, "log.file " + file + " does not exist; the daemon creates it when it starts:"
                + " is it running (ffdispatch status)?");
        }
        long position;
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            position = raf.length();
            out.print(new String(read(raf, tailStart(raf, lines), position), StandardCharsets.UTF_8));
            out.flush();
        }
        if (!follow) {
            return AdminExitCodes.OK;
        }
        try {
            while (true) {
                Thread.sleep(FOLLOW_POLL.toMillis());
                position = printNew(position, out);
            }
        } catch (InterruptedException e) {
            return AdminExitCodes.OK; // Ctrl-C in a terminal kills the JVM; an interrupt is how a caller stops us
        }
    }

    /** Prints what was appended since {@code position}; a file that shrank was rotated or truncated: read it from the start. */
    private long printNew(long position, PrintWriter out) throws IOException {
        if (!Files.isRegularFile(file)) {
            return 0;
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long length = raf.length();
            long from = length < position ? 0 : position;
            if (length > from) {
                out.print(new String(read(raf, from, length), StandardCharsets.UTF_8));
                out.flush();
            }
            return length;
        }
    }

    /** The offset where the last {@code lines} lines begin (a last line without a newline counts). */
    static long tailStart(RandomAccessFile raf, int lines) throws IOException {
        long end = raf.length();
        if (lines == 0) {
            return end;
        }
        int newlines = 0;
        byte[] block = new byte[BLOCK];
        // The file's final newline ends the last line; it does not start another one.
        long pos = end > 0 && byteAt(raf, end - 1) == '\n' ? end - 1 : end;
        while (pos > 0) {
            int n = (int) Math.min(BLOCK, pos);
            pos -= n;
            raf.seek(pos);
            raf.readFully(block, 0, n);
            for (int i = n - 1; i >= 0; i--) {
                if (block[i] == '\n' && ++newlines == lines) {
                    return pos + i + 1;
                }
            }
        }
        return 0;
    }

    private static int byteAt(RandomAccessFile raf, long offset) throws IOException {
        raf.seek(offset);
        return raf.read();
    }

    private static byte[] read(RandomAccessFile raf, long from, long to) throws IOException {
        byte[] bytes = new byte[(int) Math.min(Integer.MAX_VALUE - 8, to - from)];
        raf.seek(from);
        raf.readFully(bytes);
        return bytes;
    }

    private int journal(int lines, boolean follow, PrintWriter out, PrintWriter err) throws IOException, InterruptedException {
        String journalctl = find("journalctl");
        if (journalctl == null) {
            throw new CliException(AdminExitCodes.ERROR, "systemd is running but journalctl is not on PATH (" + searchPath
                + "); run: journalctl -u " + UNIT);
        }
        List<String> command = new ArrayList<>(List.of(journalctl, "-u", UNIT, "-n", String.valueOf(lines), "--no-pager"));
        if (follow) {
            command.add("-f");
        }
        Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.INHERIT).start();
        Thread errors = NamedThreads.start("journalctl-stderr", () -> relay(p.getErrorStream(), err));
        try {
            relay(p.getInputStream(), out);
            int code = p.waitFor();
            errors.join(FOLLOW_POLL.toMillis() * 5);
            return code == 0 ? AdminExitCodes.OK : AdminExitCodes.ERROR;
        } finally {
            p.destroy();
        }
    }

    private static void relay(InputStream in, PrintWriter to) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                to.println(line);
                to.flush();
            }
        } catch (IOException e) {
            to.println("ffdispatch: reading journalctl's output failed: " + e.getMessage());
        }
    }

    private String find(String program) {
        for (String dir : searchPath.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }
}
