package dev.ffdispatch;

import java.time.Duration;

/**
 * Timeouts for tests, scaled by the system property {@code ffdispatch.test.timeoutScale}
 * (default 1) so a slow or loaded machine can run the suite with
 * {@code -Dffdispatch.test.timeoutScale=3} instead of editing tests.
 */
public final class TestTimeouts {
    private static final double SCALE = Double.parseDouble(System.getProperty("ffdispatch.test.timeoutScale", "1"));

    /** Something that normally takes milliseconds (a local call, a loopback connect). */
    public static final Duration SHORT = scaled(Duration.ofSeconds(5));
    /** A real ffmpeg job on a tiny clip, an SSH login. */
    public static final Duration MEDIUM = scaled(Duration.ofSeconds(30));
    /** A burst of real jobs. */
    public static final Duration LONG = scaled(Duration.ofSeconds(120));

    private TestTimeouts() {
    }

    public static Duration scaled(Duration base) {
        return Duration.ofMillis((long) (base.toMillis() * SCALE));
    }
}
