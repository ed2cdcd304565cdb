package dev.ffdispatch.ssh;

import dev.ffdispatch.ssh.WorkerCommands.Request;
import java.io.IOException;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Asks a worker what the daemon needs to know or do outside a job: its ffmpeg count (the probe),
 * its ffmpeg binary's identity, and kills and reaps of job PIDs ({@link WorkerCommands}).
 * {@link WorkerLinks} answers over one long-lived channel per worker.
 */
public interface WorkerLink {

    /**
     * Sends {@code request} and waits for its answer: at most {@code timeout} for the round trip,
     * plus the link's own bounded start-up when no channel is open yet.
     *
     * @throws HostKeyRejectedException when the worker's host key is unknown or changed
     * @throws WorkerAnswerException when the worker answered, but with an error
     * @throws SshTimeoutException when the worker did not answer in time
     * @throws IOException when the worker cannot be reached
     */
    Answer ask(SshTarget target, Request request, Duration timeout) throws IOException;

    /** The longest a request may wait for the link to start, on top of its own timeout. */
    default Duration startAllowance() {
        return Duration.ZERO;
    }

    /** The ffmpeg processes running on the worker (ours included), and the round trip. */
    default Probe count(SshTarget target, Duration timeout) throws IOException {
        Answer answer = ask(target, Request.count(), timeout);
        if (!Probe.COUNT.matcher(answer.payload()).matches()) {
            throw new WorkerAnswerException("the probe printed \"" + excerpt(answer.payload())
                + "\" instead of a number; check that pgrep and wc work on the worker");
        }
        return new Probe(Integer.parseInt(answer.payload()), answer.roundTrip());
    }

    /**
     * The identity of {@code program} on the worker (a path, or a name looked up on the login's
     * PATH): resolved path, size and mtime. The same identity means the same binary.
     */
    default BinaryIdentity identity(SshTarget target, String program, Duration timeout) throws IOException {
        return BinaryIdentity.parse(ask(target, Request.identity(program), timeout).payload());
    }

    /**
     * Sends {@code signal} (TERM or KILL) to {@code pid} only while it is still an ffmpeg or
     * ffprobe, or named {@code programName}. Returns {@code sent} or {@code absent}.
     */
    default String kill(SshTarget target, long pid, String signal, String programName, Duration timeout)
        throws IOException {
        return ask(target, Request.kill(signal, pid, programName), timeout).payload();
    }

    /**
     * Ends {@code pid} if it still is an ffmpeg or ffprobe: TERM, up to 2 s, KILL. Returns
     * {@code absent}, {@code terminated} or {@code killed}. Give it more than 2 s.
     */
    default String reap(SshTarget target, long pid, Duration timeout) throws IOException {
        return ask(target, Request.reap(pid), timeout).payload();
    }

    /** A worker's answer: the text after {@code ok}, and how long the round trip took. */
    record Answer(String payload, Duration roundTrip) {
    }

    /** One probe: ffmpeg processes seen, and the round trip. */
    record Probe(int ffmpegCount, Duration roundTrip) {
        /** 9 digits keep it inside an int. */
        static final Pattern COUNT = Pattern.compile("[0-9]{1,9}");
    }

    /** The first 80 characters of a worker's text, control characters made visible. */
    static String excerpt(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && i < 80; i++) {
            char c = text.charAt(i);
            out.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", (int) c) : String.valueOf(c));
        }
        return text.length() > 80 ? out + "..." : out.toString();
    }
}
