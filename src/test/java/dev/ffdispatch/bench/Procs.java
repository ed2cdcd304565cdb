package dev.ffdispatch.bench;

import dev.ffdispatch.daemon.DaemonProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Child processes with a time limit, and facts about a process from /proc. */
final class Procs {
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern HEAP_USED = Pattern.compile("total \\d+K, used (\\d+)K");
    private Procs() {
    }

    /** Runs a command to the end; its stdout, or an IOException naming the command, code and output. */
    static String run(Duration timeout, String... command) throws IOException, InterruptedException {
        return run(timeout, Map.of(), List.of(command));
    }

    static String run(Duration timeout, Map<String, String> env, List<String> command)
        throws IOException, InterruptedException {
        Path out = Files.createTempFile("bench-proc", ".out");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            builder.environment().putAll(env);
            Process p = builder.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish within " + timeout);
            }
            String text = Files.readString(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " exited with " + p.exitValue() + ": " + text);
            }
            return text;
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** A line of /proc/PID/status, e.g. "VmRSS", as its number (kB for sizes). */
    static long status(long pid, String key) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
            if (line.startsWith(key + ":")) {
                return Long.parseLong(line.substring(key.length() + 1).trim().split("\\s+")[0]);
            }
        }
        throw new IOException("no " + key + " in /proc/" + pid + "/status");
    }

    /** Heap in use right after a full GC (jcmd GC.run, then GC.heap_info), in kB. */
    static long heapAfterGcKb(long pid) throws IOException, InterruptedException {
        String jcmd = Path.of(DaemonProcess.javaBinary()).resolveSibling("jcmd").toString();
        run(CALL_TIMEOUT, jcmd, String.valueOf(pid), "GC.run");
        String info = run(CALL_TIMEOUT, jcmd, String.valueOf(pid), "GC.heap_info");
        Matcher m = HEAP_USED.matcher(info);
        if (!m.find()) {
            throw new IOException("no 'total NK, used NK' in jcmd GC.heap_info output: " + info);
        }
        return Long.parseLong(m.group(1));
    }

    /** User plus system CPU time the process has used so far, in milliseconds. */
    static long cpuMillis(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
        // Fields after the command name (which may contain spaces) start at state, field 3.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime: fields 14 and 15
        return ticks * 1000 / clockTicks();
    }

    private static long clockTicks() {
        return 100; // USER_HZ on Linux (x86_64, arm64); /proc reports CPU time in these ticks
    }
}
