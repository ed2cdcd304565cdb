package dev.ffdispatch.ssh;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.sshd.common.SshException;
import org.apache.sshd.common.channel.exception.SshChannelOpenException;

/**
 * Why something failed on the way to a worker, in words a person reads in {@code status},
 * {@code jobs}, host events and logs: "connection refused", "DNS name not found", "login shell
 * took 2.4 s". The one place that turns exceptions (the JDK's, MINA's, ours) and durations into
 * such words: no {@code PT1.786433539S}, no class names, no "null".
 */
public final class Reasons {
    private static final int MAX_DEPTH = 12;

    private Reasons() {
    }

    /**
     * The plain reason for {@code failure}: its own message when that is already plain (ours
     * say what was tried and what to do), else a known cause anywhere in its chain, else the
     * first message that says something.
     */
    public static String of(Throwable failure) {
        if (failure == null) {
            return "unknown failure";
        }
        String own = failure.getMessage();
        if (own != null && own.equals(clean(own)) && !(failure.getClass().getName().startsWith("java.")
            || failure.getClass().getName().startsWith("org.apache."))) {
            return own;
        }
        String known = known(failure);
        if (known != null) {
            return known;
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String message = clean(t.getMessage());
            if (message != null) {
                return message;
            }
        }
        return "unexpected failure (" + words(failure.getClass().getSimpleName()) + ")";
    }

    /** A duration as a person says it: "850 ms", "2.4 s", "10 s", "3 min", "2 h". */
    public static String duration(Duration d) {
        if (d == null) {
            return "?";
        }
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + " ms";
        }
        if (ms < 10_000) {
            String s = String.format(Locale.ROOT, "%.1f", ms / 1000.0);
            return (s.endsWith(".0") ? s.substring(0, s.length() - 2) : s) + " s";
        }
        if (ms < 120_000) {
            return Math.round(ms / 1000.0) + " s";
        }
        if (ms < 2 * 3_600_000) {
            return Math.round(ms / 60_000.0) + " min";
        }
        return Math.round(ms / 3_600_000.0) + " h";
    }

    private static String known(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth++ < MAX_DEPTH; t = t.getCause()) {
            String message = t.getMessage() == null ? "" : t.getMessage();
            String lower = message.toLowerCase(Locale.ROOT);
            if (t instanceof HostKeyRejectedException) {
                return message;
            }
            if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
                return "DNS name not found" + (message.isBlank() ? "" : ": " + firstWord(message));
            }
            if (t instanceof NoRouteToHostException || lower.contains("no route to host")) {
                return "no route to host";
            }
            if (t instanceof ConnectException || lower.contains("connection refused")) {
                return "connection refused (is sshd running, on that port?)";
            }
            if (t instanceof PortUnreachableException || lower.contains("network is unreachable")) {
                return "network unreachable";
            }
            if (lower.contains("connection reset")) {
                return "connection reset by the worker";
            }
            if (lower.contains("no more authentication methods") || lower.contains("authentication failed")) {
                return "login refused: the worker does not accept our key for this user";
            }
            if (t instanceof SshChannelOpenException) {
                return "the worker refused a new channel (" + orNothing(clean(message)) + ")";
            }
            if (t instanceof SocketTimeoutException || t instanceof TimeoutException
                || (t instanceof SshException && lower.contains("timeout"))) {
                return "no answer in time" + timeoutDetail(message);
            }
            if (t instanceof EOFException || t instanceof ClosedChannelException
                || lower.contains("session is being closed") || lower.contains("session is closed")
                || lower.contains("closed by peer") || lower.contains("connection closed")) {
                return "connection lost";
            }
        }
        return null;
    }

    /** MINA writes "DefaultConnectFuture[...]: Failed (TimeoutException) to execute: ..." and the like. */
    private static String timeoutDetail(String message) {
        Matcher m = Pattern.compile("after (\\d+) ?(?:msec|ms)").matcher(message);
        return m.find() ? " (" + duration(Duration.ofMillis(Long.parseLong(m.group(1)))) + ")" : "";
    }

    /** A message without class names, ISO durations or the word null; null when nothing is left. */
    static String clean(String message) {
        if (message == null || message.isBlank() || message.equals("null")) {
            return null;
        }
        String text = message.replaceAll("\\b(?:[a-z]+\\.)+([A-Z][A-Za-z]+(?:Exception|Error))\\b:? ?", "")
            .replaceAll("\\b[A-Z][A-Za-z]+(?:Exception|Error): ", "");
        Matcher iso = Pattern.compile("\\bPT[0-9HMS.]+\\b").matcher(text);
        StringBuilder out = new StringBuilder();
        while (iso.find()) {
            String replacement;
            try {
                replacement = duration(Duration.parse(iso.group()));
            } catch (RuntimeException e) {
                replacement = iso.group();
            }
            iso.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        iso.appendTail(out);
        String cleaned = out.toString().strip();
        return cleaned.isEmpty() || cleaned.equals("null") ? null : cleaned;
    }

    private static String firstWord(String message) {
        int space = message.indexOf(' ');
        return space < 0 ? message : message.substring(0, space);
    }

    private static String orNothing(String s) {
        return s == null ? "no reason given" : s;
    }

    /** "SshChannelOpenException" -> "ssh channel open". */
    private static String words(String className) {
        return className.replaceAll("(Exception|Error)$", "").replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
    }
}
