package dev.ffdispatch.poll;

import dev.ffdispatch.ssh.CommandResult;
import dev.ffdispatch.ssh.WorkerCommands;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Pattern;

/** Reads the answer of {@link WorkerCommands#FFMPEG_COUNT}. */
final class FfmpegCount {
    /** macOS wc pads the number with spaces; 9 digits keep it inside an int. */
    private static final Pattern COUNT = Pattern.compile("[0-9]{1,9}");
    private static final int EXCERPT_CHARS = 80;

    private FfmpegCount() {
    }

    /**
     * The process count in {@code result}.
     *
     * @throws ProbeFailedException when the probe ran over {@code timeout}, exited non-zero, or
     *     printed something else than a number
     */
    static int parse(CommandResult result, Duration timeout) throws ProbeFailedException {
        if (result.elapsed().compareTo(timeout) > 0) {
            throw new ProbeFailedException("probe took " + result.elapsed().toMillis() + " ms, over poll.timeout ("
                    + timeout.toMillis() + " ms)", true);
        }
        if (result.exitCode() != 0) {
            throw new ProbeFailedException("probe `" + WorkerCommands.FFMPEG_COUNT + "` exited with code "
                    + result.exitCode() + ", stderr: " + excerpt(result.stderr())
                    + "; check that pgrep and wc exist on the worker");
        }
        String text = new String(result.stdout(), StandardCharsets.UTF_8).strip();
        if (!COUNT.matcher(text).matches()) {
            throw new ProbeFailedException("probe `" + WorkerCommands.FFMPEG_COUNT + "` printed " + excerpt(
                    result.stdout()) + " instead of a number; the worker's shell start-up files may print "
                    + "text: use a dedicated user with /bin/sh");
        }
        return Integer.parseInt(text);
    }

    /** The start of some output, quoted, with control characters made visible. */
    static String excerpt(byte[] output) {
        String text = new String(output, StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < text.length() && i < EXCERPT_CHARS; i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                out.append("\\n");
            } else if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(c);
            }
        }
        out.append(text.length() > EXCERPT_CHARS ? "...\"" : "\"");
        return out.toString();
    }
}
