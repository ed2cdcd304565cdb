package dev.ffdispatch.shim;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The shim implementations every shim test runs against: the Java shim (the reference), the
 * native client as built for release, and the native client under ASan and UBSan. A difference
 * in behaviour between them is a bug in one of them. Each starts as the launcher starts it:
 * {@link #command()}, then the name it was called by, then the arguments.
 */
public enum ShimClient {
    JAVA,
    NATIVE,
    NATIVE_SANITIZED;

    /** Exit code of a sanitized client that found a bug; no shim exit code uses it. */
    public static final int SANITIZER_EXIT = 86;

    /** The program and its options, before argv0. */
    public List<String> command() {
        return switch (this) {
            case JAVA -> List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData", "-Xshare:auto",
                "-Xlog:disable", "-Xlog:all=warning:stderr", "-cp", shimClasses(), Shim.class.getName());
            case NATIVE -> List.of(binary(nativeDir().resolve("ffdispatch-client")));
            case NATIVE_SANITIZED -> List.of(binary(nativeDir().resolve("sanitize/ffdispatch-client")));
        };
    }

    /** What the client's environment needs besides the test's own variables. */
    public Map<String, String> environment() {
        if (this != NATIVE_SANITIZED) {
            return Map.of();
        }
        // Every finding fails the run with a code no shim uses, and leaks count as findings.
        return Map.of("ASAN_OPTIONS", "detect_leaks=1:exitcode=" + SANITIZER_EXIT,
            "UBSAN_OPTIONS", "halt_on_error=1:print_stacktrace=1:exitcode=" + SANITIZER_EXIT);
    }

    /** Where Maven's build puts the native clients (target/native). */
    public static Path nativeDir() {
        return Path.of(System.getProperty("ffdispatch.native.dir", "target/native")).toAbsolutePath();
    }

    private static String binary(Path path) {
        if (!Files.isExecutable(path)) {
            throw new IllegalStateException("no native client at " + path + ": build it with mvn -B -q"
                + " process-test-classes (needs gcc: apt-get install gcc; src/main/c/build says what is missing)");
        }
        return path.toString();
    }

    /** The directory or jar holding the compiled shim: it needs nothing else. */
    private static String shimClasses() {
        try {
            return Path.of(Shim.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
