package dev.ffdispatch.posix;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Turns argument bytes into words of a POSIX {@code sh} command line that the shell turns back
 * into exactly those bytes. Shared by the shim's emergency local run and the remote command
 * builder, so both quote the same way.
 *
 * <p>Plain words go in single quotes ({@code '} itself as {@code '\''}). Bytes that a Java String
 * cannot carry (invalid UTF-8), or any non-ASCII byte when the command line must be pure ASCII
 * (a local {@code ProcessBuilder} encodes Strings by the JVM's locale), are produced at run
 * time by {@code printf} with octal escapes; a trailing {@code x} protects trailing newlines from
 * command substitution and is stripped again.
 */
public final class PosixShell {

    private PosixShell() {
    }

    /** One word for {@code sh} that expands to exactly {@code arg}. */
    public static String quote(byte[] arg, boolean asciiOnly) {
        if (isPlainAscii(arg) || (!asciiOnly && isUtf8(arg))) {
            return singleQuoted(new String(arg, StandardCharsets.UTF_8));
        }
        return "\"$(printf '" + octal(arg) + "x')\"";
    }

    public static String quote(String arg) {
        return singleQuoted(arg);
    }

    /**
     * A command line for {@code sh}: {@code lead} (such as {@code exec} or {@code set --}, written
     * as is) followed by the quoted words. Words that need a printf are put in shell variables
     * first, so the final word list keeps its boundaries.
     */
    public static String command(String lead, List<byte[]> words, boolean asciiOnly) {
        StringBuilder prefix = new StringBuilder();
        StringBuilder line = new StringBuilder(lead);
        int generated = 0;
        for (byte[] word : words) {
            if (line.length() > 0) {
                line.append(' ');
            }
            String quoted = quote(word, asciiOnly);
            if (quoted.startsWith("'")) {
                line.append(quoted);
            } else {
                String var = "ffd_a" + generated++;
                prefix.append(var).append('=').append(quoted).append("; ")
                    .append(var).append("=\"${").append(var).append("%x}\"; ");
                line.append("\"$").append(var).append('"');
            }
        }
        return prefix.append(line).toString();
    }

    /**
     * True when {@code name} is a name {@code sh} can assign and export ({@code [A-Za-z_][A-Za-z0-9_]*}):
     * the only environment variable names that survive a shell on the way to the program.
     */
    public static boolean isName(String name) {
        if (name == null || name.isEmpty() || Character.isDigit(name.charAt(0))) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
                return false;
            }
        }
        return true;
    }

    private static String singleQuoted(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static boolean isPlainAscii(byte[] arg) {
        for (byte b : arg) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean isUtf8(byte[] arg) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(arg));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static String octal(byte[] arg) {
        StringBuilder out = new StringBuilder(arg.length * 4);
        for (byte b : arg) {
            int v = b & 0xff;
            out.append('\\').append((char) ('0' + (v >> 6))).append((char) ('0' + ((v >> 3) & 7))).append((char) ('0' + (v & 7)));
        }
        return out.toString();
    }
}
