package dev.ffdispatch.exec;

import java.io.File;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A local job as a plain exec of the program, with no shell in between, when the JVM hands its
 * bytes to {@code execve} unchanged. The JVM turns the Strings of a {@link ProcessBuilder} into
 * bytes with its own charsets ({@code file.encoding} and {@code sun.jnu.encoding}, by JDK
 * version), which follow the locale: every argument, the working directory, the program and
 * the environment must come out exactly as the shim sent them under both. When one would not
 * (a non-UTF-8 file name, or any non-ASCII byte under a C locale), {@link #builder} says so and
 * the job goes through {@link RemoteCommand}'s script instead, whose printf escapes carry any byte.
 */
final class DirectLaunch {
    private static final List<Charset> JVM_CHARSETS = jvmCharsets();

    private DirectLaunch() {
    }

    /** A builder that runs {@code spec} exactly, or null when only the shell script can. */
    static ProcessBuilder builder(JobSpec spec) {
        List<String> command = new ArrayList<>(spec.args().size() + 1);
        if (!survives(spec.program())) {
            return null;
        }
        command.add(spec.program());
        for (byte[] arg : spec.args()) {
            String exact = exact(arg);
            if (exact == null) {
                return null;
            }
            command.add(exact);
        }
        ProcessBuilder builder = new ProcessBuilder(command);
        byte[] dir = spec.workingDirectory();
        if (dir != null && dir.length > 0) {
            String exact = exact(dir);
            if (exact == null) {
                return null;
            }
            builder.directory(new File(exact));
        }
        for (Map.Entry<String, String> e : spec.environment().entrySet()) {
            if (!survives(e.getKey()) || !survives(e.getValue())) {
                return null;
            }
            builder.environment().put(e.getKey(), e.getValue());
        }
        return builder;
    }

    /** The String the JVM encodes back to exactly {@code bytes}, or null. */
    static String exact(byte[] bytes) {
        String s = new String(bytes, JVM_CHARSETS.get(0));
        for (Charset charset : JVM_CHARSETS) {
            if (!Arrays.equals(s.getBytes(charset), bytes)) {
                return null;
            }
        }
        return s;
    }

    /** Whether the JVM encodes {@code s} to its UTF-8 bytes, which is what the shell script would produce. */
    private static boolean survives(String s) {
        return exact(s.getBytes(StandardCharsets.UTF_8)) != null;
    }

    private static List<Charset> jvmCharsets() {
        List<Charset> charsets = new ArrayList<>(List.of(Charset.defaultCharset()));
        try {
            charsets.add(Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8")));
        } catch (RuntimeException e) {
            // An unknown name cannot be the one the JVM uses: the default charset decides alone.
        }
        return List.copyOf(charsets);
    }
}
