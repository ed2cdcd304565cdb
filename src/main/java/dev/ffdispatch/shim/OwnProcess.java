package dev.ffdispatch.shim;

import java.io.FileInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The exact bytes of this process's arguments and working directory. The JVM hands {@code main}
 * Strings decoded by the locale (under {@code LANG=C} every non-ASCII byte becomes {@code ?}, and
 * invalid UTF-8 is lost under any locale), so the bytes come from {@code /proc/self} instead.
 */
final class OwnProcess {
    private static final String CMDLINE = "/proc/self/cmdline";
    private static final String CWD = "/proc/self/cwd";

    private OwnProcess() {
    }

    /**
     * The bytes of {@code args} (argv0 included when the launcher passed it as {@code args[0]}),
     * read from {@code /proc/self/cmdline}. Where that is missing or does not match (no /proc on
     * macOS, a truncating kernel), the Strings are encoded back with the charset the JVM decoded
     * them with, which is exact for every argument the locale could represent.
     */
    static List<byte[]> argumentBytes(String[] args) {
        byte[] cmdline;
        try (FileInputStream in = new FileInputStream(CMDLINE)) {
            cmdline = in.readAllBytes();
        } catch (IOException e) {
            cmdline = null;
        }
        List<byte[]> exact = cmdline == null ? null : lastElements(cmdline, args.length);
        if (exact != null && matches(exact, args)) {
            return exact;
        }
        return encode(args, jvmCharset());
    }

    /**
     * The last {@code count} NUL-terminated elements of a cmdline image, in order, or null when it
     * holds fewer. The JVM's own options come before the main class, so our arguments are the tail;
     * an empty argument is an empty element (two NULs in a row).
     */
    static List<byte[]> lastElements(byte[] cmdline, int count) {
        if (cmdline.length == 0) {
            return count == 0 ? List.of() : null;
        }
        List<byte[]> reversed = new ArrayList<>(count);
        int end = cmdline.length;
        if (end > 0 && cmdline[end - 1] == 0) {
            end--; // the terminator of the last element
        }
        while (reversed.size() < count) {
            if (end < 0) {
                return null;
            }
            int start = end;
            while (start > 0 && cmdline[start - 1] != 0) {
                start--;
            }
            byte[] element = new byte[end - start];
            System.arraycopy(cmdline, start, element, 0, element.length);
            reversed.add(element);
            end = start - 1; // skip the NUL before this element; -1 when it began the image
        }
        Collections.reverse(reversed);
        return reversed;
    }

    /**
     * A cheap guard against a cmdline that is not ours: every argument the JVM decoded to plain
     * ASCII (no {@code ?} or U+FFFD standing for an undecodable byte) must be exactly those bytes.
     */
    static boolean matches(List<byte[]> bytes, String[] args) {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!isCertainAscii(arg)) {
                continue;
            }
            byte[] b = bytes.get(i);
            if (b.length != arg.length()) {
                return false;
            }
            for (int j = 0; j < b.length; j++) {
                if (b[j] != arg.charAt(j)) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * The working directory's bytes. {@code user.dir} is a decoded String; when it is not plain
     * ASCII the bytes come from the {@code /proc/self/cwd} link, whose {@link Path#toUri()}
     * percent-encodes the raw bytes instead of decoding them.
     */
    static byte[] workingDirectory() {
        String dir = System.getProperty("user.dir", "");
        if (isCertainAscii(dir)) {
            return dir.getBytes(StandardCharsets.ISO_8859_1);
        }
        try {
            URI uri = Files.readSymbolicLink(Path.of(CWD)).toUri();
            return stripTrailingSlash(percentDecode(uri.getRawPath()));
        } catch (IOException | RuntimeException e) {
            return dir.getBytes(jvmCharset());
        }
    }

    static byte[] percentDecode(String raw) {
        byte[] out = new byte[raw.length()];
        int n = 0;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%' && i + 2 < raw.length()) {
                out[n++] = (byte) Integer.parseInt(raw.substring(i + 1, i + 3), 16);
                i += 2;
            } else {
                out[n++] = (byte) c;
            }
        }
        byte[] exact = new byte[n];
        System.arraycopy(out, 0, exact, 0, n);
        return exact;
    }

    /** {@code toUri()} marks a directory with a trailing slash; the root keeps its only slash. */
    private static byte[] stripTrailingSlash(byte[] path) {
        if (path.length > 1 && path[path.length - 1] == '/') {
            byte[] shorter = new byte[path.length - 1];
            System.arraycopy(path, 0, shorter, 0, shorter.length);
            return shorter;
        }
        return path;
    }

    static List<byte[]> encode(String[] args, Charset charset) {
        List<byte[]> out = new ArrayList<>(args.length);
        for (String arg : args) {
            out.add(arg.getBytes(charset));
        }
        return out;
    }

    /** The charset the JVM decoded arguments and paths with (sun.jnu.encoding follows the locale). */
    static Charset jvmCharset() {
        try {
            return Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
        } catch (RuntimeException e) {
            return StandardCharsets.UTF_8;
        }
    }

    private static boolean isCertainAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x80 || c == '?') {
                return false;
            }
        }
        return true;
    }
}
