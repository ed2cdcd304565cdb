package dev.ffdispatch.ssh;

import dev.ffdispatch.posix.PosixShell;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Everything ffdispatch runs on a worker outside a job, in one place: the probe, the ffmpeg
 * binary's identity, the kill and the reap of a job's PID, and the link script that answers all
 * of them over one long-lived channel ({@link ProbeChannel}). Nothing needs to be installed on a
 * worker: it is POSIX {@code sh} plus {@code ps}, {@code pgrep} (where there is no {@code /proc}),
 * {@code kill} and {@code stat}, each as Linux and macOS have them ({@code pgrep -c} does not
 * exist on macOS; GNU and BSD {@code stat} take different flags, so both are tried).
 *
 * <p>Every command is sent as {@code exec /bin/sh -c '<script>' ...}: sshd runs it through the
 * login user's shell, which may be bash, zsh, fish or tcsh, and each of them understands exactly
 * that line. So the script is one line (tcsh rejects newlines inside quotes), holds no single
 * quote (it is single-quoted whole), and no {@code \\} or {@code \'} (fish un-escapes those
 * inside single quotes).
 *
 * <p>An answer is one line: {@code ok <payload>} or {@code err <why>}; on the link it is
 * preceded by the request's number.
 */
public final class WorkerCommands {
    /** The link protocol's version; the ready line names it, so a change is never misread. */
    static final int LINK_VERSION = 1;
    /** What the link prints once its loop runs (after anything the login shell printed). */
    static final String READY = "ffdispatch-link";

    /**
     * Shell functions shared by the link script and the one-shot commands. {@code say} prints one
     * answer line in one write (background reaps answer while the loop goes on); {@code $P} is the
     * request number on the link and empty for a one-shot command.
     */
    private static final String FUNCTIONS = String.join(" ",
        "set -f; LC_ALL=C; export LC_ALL; P=;",
        "say() { printf \"%s\\n\" \"$P$*\"; };",
        // ps -o comm= is the bare name on Linux (cut to 15 characters), the full path on macOS.
        "isff() { case \"$(ps -o comm= -p \"$1\" 2>/dev/null)\" in"
            + " ffmpeg|ffprobe|*/ffmpeg|*/ffprobe|\"${2:-ffmpeg}\"|*/\"${2:-ffmpeg}\") return 0;; esac; return 1; };",
        // Linux: each process's name read by the shell itself from /proc (the name pgrep -x matches),
        // no fork: 3-4 times cheaper than pgrep with 60 or 660 processes (measured; a probe runs every
        // second). Elsewhere (macOS): pgrep, one PID per line counted as words; it exits 1 on no match.
        "count() { if [ -r /proc/self/comm ]; then set +f; n=0; for f in /proc/[0-9]*/comm; do"
            + " read -r c 2>/dev/null <\"$f\" && [ \"$c\" = ffmpeg ] && n=$((n+1)); done; set -f; say ok $n; return; fi;"
            + " command -v pgrep >/dev/null 2>&1 || { say err pgrep not found on the worker; return; };"
            + " set -- $(pgrep -x ffmpeg); say ok $#; };",
        "ident() { p=$1; case $p in */*) ;; *) p=$(command -v \"$p\") || { say err not found on the PATH: \"$1\";"
            + " return; };; esac; n=0; while [ -h \"$p\" ] && [ $n -lt 40 ]; do t=$(readlink \"$p\") || break;"
            + " case $t in /*) p=$t;; *) p=$(dirname \"$p\")/$t;; esac; n=$((n+1)); done;"
            + " [ -f \"$p\" ] || { say err not a file: \"$p\"; return; };"
            + " d=$(cd -P \"$(dirname \"$p\")\" && pwd -P) && p=$d/$(basename \"$p\");"
            + " s=$(stat -c \"%s %Y\" \"$p\" 2>/dev/null || stat -f \"%z %m\" \"$p\" 2>/dev/null)"
            + " || { say err cannot stat \"$p\"; return; }; say ok $s \"$p\"; };",
        "sig() { case $1 in TERM|KILL) ;; *) say err bad signal \"$1\"; return;; esac;"
            + " if isff \"$2\" \"$3\"; then kill -$1 \"$2\" 2>/dev/null; say ok sent; else say ok absent; fi; };",
        "reap() { if isff \"$1\"; then :; else say ok absent; return; fi; kill -TERM \"$1\" 2>/dev/null; n=0;"
            + " while [ $n -lt 20 ] && isff \"$1\"; do sleep 0.1; n=$((n+1)); done;"
            + " if isff \"$1\"; then kill -KILL \"$1\" 2>/dev/null; say ok killed; else say ok terminated; fi; };");

    /**
     * The loop: one request per line, {@code <n> <verb> <args>}, one answer per request. A reap
     * waits up to 2 s for the process to go, so it runs in the background and answers later.
     */
    private static final String LOOP = String.join(" ",
        "while IFS= read -r l; do i=${l%% *}; r=${l#\"$i\"}; r=${r# }; v=${r%% *}; a=${r#\"$v\"}; a=${a# }; P=\"$i \";",
        "case $v in count) count;; ident) ident \"$a\";; kill) set -- $a; sig \"$1\" \"$2\" \"$3\";;",
        "reap) set -- $a; (reap \"$1\") & ;; ping) say ok pong;; *) say err unknown request \"$v\";; esac; done");

    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9]{1,64}");
    private static final Pattern PROGRAM_NAME = Pattern.compile("[A-Za-z0-9._+-]{1,64}");

    /** The probe as a one-shot command: prints {@code ok <ffmpeg processes>}. */
    public static final String FFMPEG_COUNT = oneShot("count");

    private WorkerCommands() {
    }

    /** The link: prints the ready line for {@code token}, then answers request lines until stdin ends. */
    public static String link(String token) {
        if (!TOKEN.matcher(token).matches()) {
            throw new IllegalArgumentException("link token (" + token + ") must be 1-64 letters or digits");
        }
        return shell(FUNCTIONS + " say " + READY + " " + LINK_VERSION + " " + token + " ready; " + LOOP, List.of());
    }

    /** Whether {@code command} is a link as {@link #link} writes it (the loopback worker serves those itself). */
    public static boolean isLink(String command) {
        return command.startsWith("exec /bin/sh -c '") && command.contains(" say " + READY + " ");
    }

    /** The ready line of the link started with {@code token}. */
    public static String readyLine(String token) {
        return READY + " " + LINK_VERSION + " " + token + " ready";
    }

    /** The token a link command waits to print, or null when {@code command} is not a link. */
    public static String linkToken(String command) {
        if (!isLink(command)) {
            return null;
        }
        int at = command.indexOf(" say " + READY + " " + LINK_VERSION + " ");
        if (at < 0) {
            return null;
        }
        String rest = command.substring(at + (" say " + READY + " " + LINK_VERSION + " ").length());
        int end = rest.indexOf(' ');
        return end < 0 ? null : rest.substring(0, end);
    }

    /** One request line for the link (no newline). */
    static String request(long number, Request request) {
        return number + " " + request.line();
    }

    private static String oneShot(String call, String... args) {
        return shell(FUNCTIONS + " " + call, List.of(args));
    }

    /**
     * Another component's worker script (the capability learn script) with its arguments, as one
     * line any login shell runs; the script must follow the rules above.
     */
    public static String script(String script, List<String> args) {
        return shell(script, args);
    }

    /** {@code exec /bin/sh -c '<script>' ffdispatch 'arg' ...}: one line any login shell runs. */
    private static String shell(String script, List<String> args) {
        if (script.indexOf('\'') >= 0 || script.contains("\\\\") || script.contains("\\'") || script.indexOf('\n') >= 0) {
            throw new IllegalStateException("worker script must not hold a single quote, \\\\ or a newline: " + script);
        }
        StringBuilder line = new StringBuilder("exec /bin/sh -c '").append(script).append("' ffdispatch");
        for (String arg : args) {
            line.append(' ').append(PosixShell.quote(arg));
        }
        return line.toString();
    }

    /** A request line: the number its answer must carry, and the request. */
    public record Numbered(String number, Request request) {
    }

    /**
     * One thing to ask a worker. Arguments are checked here, so a request line can never carry a
     * second request or a shell word of its own.
     */
    public record Request(String verb, List<String> args) {
        public Request {
            args = List.copyOf(args);
            for (String a : args) {
                if (a.isEmpty() || a.indexOf('\n') >= 0 || a.indexOf('\r') >= 0 || a.indexOf('\0') >= 0) {
                    throw new IllegalArgumentException("worker request argument (" + a.replace("\n", "\\n")
                        + ") must be non-empty and hold no newline or NUL");
                }
            }
        }

        /** The ffmpeg processes running on the worker. */
        public static Request count() {
            return new Request("count", List.of());
        }

        /** The resolved path, size and mtime of {@code program} (a path, or a name looked up on the PATH). */
        public static Request identity(String program) {
            return new Request("ident", List.of(program));
        }

        /**
         * {@code TERM} or {@code KILL} to {@code pid}, only while it is an ffmpeg or ffprobe, or a
         * program named {@code programName} (a configured ffmpeg with another name).
         */
        public static Request kill(String signal, long pid, String programName) {
            if (!signal.equals("TERM") && !signal.equals("KILL")) {
                throw new IllegalArgumentException("signal (" + signal + ") must be TERM or KILL");
            }
            requirePid(pid);
            String name = programName == null || !PROGRAM_NAME.matcher(programName).matches() ? "ffmpeg" : programName;
            return new Request("kill", List.of(signal, Long.toString(pid), name));
        }

        /**
         * Ends {@code pid} if it still is an ffmpeg or ffprobe (a PID reused since is left alone):
         * TERM, up to 2 s to exit, then KILL. Answers {@code absent}, {@code terminated} or {@code killed}.
         */
        public static Request reap(long pid) {
            requirePid(pid);
            return new Request("reap", List.of(Long.toString(pid)));
        }

        /** Answers {@code pong}: checks the loop without touching anything. */
        public static Request ping() {
            return new Request("ping", List.of());
        }

        String line() {
            if (args.isEmpty()) {
                return verb;
            }
            return verb + " " + String.join(" ", args);
        }

        /**
         * The same request as a one-shot command through the login shell (the exec fallback; the
         * loopback worker): prints the answer without a request number.
         */
        public String oneShot() {
            List<String> words = new ArrayList<>();
            StringBuilder call = new StringBuilder(switch (verb) {
                case "kill" -> "sig";
                case "ping" -> "say ok pong";
                default -> verb;
            });
            for (int i = 0; i < args.size(); i++) {
                call.append(" \"$").append(i + 1).append('"');
                words.add(args.get(i));
            }
            return shell(FUNCTIONS + " " + call, words);
        }

        /**
         * A request line as the link reads it: its number and the request, or null when the line
         * is not one (for a worker that serves the link itself).
         */
        public static Numbered parse(String line) {
            String[] parts = line.split(" ", 3);
            if (parts.length < 2 || parts[0].isEmpty()) {
                return null;
            }
            List<String> args = parts.length < 3 ? List.of()
                : parts[1].equals("ident") ? List.of(parts[2]) : List.of(parts[2].split(" "));
            try {
                return new Numbered(parts[0], new Request(parts[1], args));
            } catch (IllegalArgumentException e) {
                return null;
            }
        }

        private static void requirePid(long pid) {
            if (pid <= 1) {
                throw new IllegalArgumentException("pid (" + pid + ") must be a process id above 1");
            }
        }
    }
}
