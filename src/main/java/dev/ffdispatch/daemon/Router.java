package dev.ffdispatch.daemon;

import dev.ffdispatch.protocol.Tool;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Decides which jobs stay on this machine by configuration: whole tools (such as ffprobe,
 * whose library-scan calls are short and many) or argument patterns (image extraction, say;
 * capability probes need none: they are answered from profiles). Everything else goes to the workers.
 */
final class Router {
    private final Set<Tool> localTools;
    private final List<Pattern> localPatterns;

    Router(List<String> localTools, List<String> localPatterns) {
        this.localTools = localTools.stream()
            .map(t -> Tool.valueOf(t.toUpperCase(Locale.ROOT)))
            .collect(Collectors.toUnmodifiableSet());
        this.localPatterns = localPatterns.stream().map(Pattern::compile).collect(Collectors.toUnmodifiableList());
    }

    /**
     * The rule that keeps this job local, or null when it should go to a worker.
     *
     * @param commandLine its arguments as {@link #joined} gives them
     */
    String localRule(Tool tool, String commandLine) {
        if (localTools.contains(tool)) {
            return "routing.local_tools contains " + tool.command();
        }
        for (Pattern pattern : localPatterns) {
            if (pattern.matcher(commandLine).find()) {
                return "routing.local_patterns matched " + pattern.pattern();
            }
        }
        return null;
    }

    /** Arguments joined by spaces, decoded leniently: for matching and for display only. */
    static String joined(List<byte[]> args) {
        StringBuilder out = new StringBuilder();
        for (byte[] arg : args) {
            if (out.length() > 0) {
                out.append(' ');
            }
            out.append(new String(arg, StandardCharsets.UTF_8));
        }
        return out.toString();
    }
}
