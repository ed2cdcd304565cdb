package dev.ffdispatch.exec;

import dev.ffdispatch.posix.PosixShell;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The script a POSIX shell runs for one job:
 * {@code cd -- 'dir' 2>/dev/null || { cd -- 'dir' 2>&1 | sed 's/^/ffdispatch: /' >&2; exit 66; };
 * printf 'ffdispatch-pid %s\n' $$ >&2; export 'V=v'; exec 'prog' 'arg' ...}.
 *
 * <p>The PID line goes to stderr before {@code exec}, so the PID is the one the program keeps
 * (exec replaces the shell in place); the daemon needs it to stop the program later, because
 * closing an SSH channel does not. A failing {@code cd} exits before the PID line: no PID line
 * means nothing was started. Nothing the requester chose (directory, arguments, environment) can
 * be printed before the PID line, so the first line of that form is always the script's own.
 */
final class RemoteCommand {
    /** What the stderr line reporting the PID starts with; the decimal PID and a newline follow. */
    static final String PID_PREFIX = "ffdispatch-pid ";
    /** Put before each line of a failed cd's error text, so none of its lines starts like the PID line. */
    static final String CD_ERROR_PREFIX = "ffdispatch: ";
    /** Exit code of the script when the working directory cannot be entered (EX_NOINPUT). */
    static final int CD_FAILED = 66;

    private RemoteCommand() {
    }

    /**
     * The script for {@code spec} (already path-mapped).
     *
     * @param asciiOnly true when the script travels as a Java String through the local locale
     *     (ProcessBuilder): every non-ASCII byte is then produced by printf at run time
     */
    static String build(JobSpec spec, boolean asciiOnly) {
        StringBuilder script = new StringBuilder();
        if (spec.workingDirectory() != null && spec.workingDirectory().length > 0) {
            // cd's error text holds the directory name, which the requester chose: it must never
            // appear before the PID line, where a line of it could pose as that line. So the first
            // cd is silent; on failure a second one tells why, each line behind a prefix.
            String cd = PosixShell.command("cd --", List.of(spec.workingDirectory()), asciiOnly);
            script.append(cd).append(" 2>/dev/null || { ").append(cd).append(" 2>&1 | sed 's/^/")
                .append(CD_ERROR_PREFIX).append("/' >&2; exit ").append(CD_FAILED).append("; }; ");
        }
        script.append("printf '").append(PID_PREFIX).append("%s\\n' $$ >&2; ");
        if (!spec.environment().isEmpty()) {
            // Bare "export" would list the environment on stdout, hence only when there is something.
            script.append(PosixShell.command("export", exports(spec.environment()), asciiOnly)).append("; ");
        }
        List<byte[]> words = new ArrayList<>(spec.args().size() + 1);
        words.add(spec.program().getBytes(StandardCharsets.UTF_8));
        words.addAll(spec.args());
        return script.append(PosixShell.command("exec", words, asciiOnly)).toString();
    }

    /** {@code NAME=value} words, sorted so the same job always gives the same script. */
    private static List<byte[]> exports(Map<String, String> environment) {
        List<byte[]> words = new ArrayList<>();
        for (Map.Entry<String, String> e : new TreeMap<>(environment).entrySet()) {
            if (!PosixShell.isName(e.getKey())) {
                throw new IllegalArgumentException("environment variable name (" + e.getKey()
                    + ") is not a shell name: use letters, digits and _ only, not starting with a digit");
            }
            if (e.getValue().indexOf('\0') >= 0) {
                throw new IllegalArgumentException("environment variable " + e.getKey()
                    + " contains a NUL character, which no environment can hold: remove it from the configuration");
            }
            words.add((e.getKey() + "=" + e.getValue()).getBytes(StandardCharsets.UTF_8));
        }
        return words;
    }
}
