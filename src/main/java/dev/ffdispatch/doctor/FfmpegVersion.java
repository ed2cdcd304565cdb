package dev.ffdispatch.doctor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads ffmpeg's version from {@code -version} output, with the regex Jellyfin uses; git builds
 * ({@code N-12345-g...}) have no release number, so their major is unknown.
 */
public final class FfmpegVersion {
    private static final Pattern VERSION = Pattern.compile("^ff(?:mpeg|probe) version n?((?:[0-9]+\\.?)+)");

    private FfmpegVersion() {
    }

    /** The version text, e.g. {@code 5.1.6}, or null when the output has none. */
    public static String parse(byte[] versionOutput) {
        Matcher m = VERSION.matcher(new String(versionOutput, StandardCharsets.UTF_8));
        return m.find() ? m.group(1) : null;
    }

    /** The major number of a version text, or -1. */
    public static int major(String version) {
        if (version == null) {
            return -1;
        }
        int dot = version.indexOf('.');
        return Integer.parseInt(dot < 0 ? version : version.substring(0, dot));
    }

    /**
     * Runs {@code program -version} on this machine, at most {@code seconds}.
     *
     * @return the version, or null when the program does not run or prints no version
     */
    public static String local(String program, long seconds) {
        try {
            Process p = new ProcessBuilder(List.of(program, "-version")).redirectErrorStream(true).start();
            p.getOutputStream().close();
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            return parse(p.getInputStream().readAllBytes());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
