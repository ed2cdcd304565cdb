package dev.ffdispatch.store;

import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import static dev.ffdispatch.store.StoreException.Kind.INVALID;

/**
 * A routing rule: jobs whose arguments (joined by single spaces) contain a match of
 * {@code pattern} go only to {@code hosts}; {@link #LOCAL} names the machine the daemon runs on.
 * Rules are tried in id order; the first that matches decides.
 *
 * @param id 0 for a rule not stored yet
 */
public record RouteRecord(long id, String pattern, List<String> hosts, Instant created) {
    /** The host name that stands for this machine in a rule. */
    public static final String LOCAL = "local";

    /** @throws StoreException INVALID when the pattern is no regular expression or no host is named */
    public RouteRecord {
        if (pattern == null || pattern.isEmpty()) {
            throw new StoreException(INVALID, "a route needs a pattern (a Java regular expression matched against the"
                + " job's arguments joined by spaces), such as '-c:v h264_nvenc'");
        }
        try {
            Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
            throw new StoreException(INVALID, "route pattern '" + pattern + "' is not a regular expression: "
                + e.getDescription() + " near index " + e.getIndex() + "; quote it for the shell, and escape regex"
                + " characters with \\ (e.g. '\\+' for a literal +)", e);
        }
        hosts = List.copyOf(hosts == null ? List.of() : hosts);
        if (hosts.isEmpty()) {
            throw new StoreException(INVALID, "route '" + pattern + "' names no host; name one or more hosts (or "
                + LOCAL + " for this machine)");
        }
    }

    /** The compiled pattern. */
    public Pattern compiled() {
        return Pattern.compile(pattern);
    }
}
