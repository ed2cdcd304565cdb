package dev.ffdispatch.config;

import java.util.List;

/**
 * {@code routing.*}: jobs that always run locally.
 *
 * @param localTools    {@code routing.local_tools}: tools always run locally, a subset of [ffmpeg, ffprobe]
 * @param localPatterns {@code routing.local_patterns}: Java regexes; a job whose arguments joined by ' '
 *                      contain a match runs locally
 */
public record RoutingConfig(List<String> localTools, List<String> localPatterns) {
    public RoutingConfig {
        localTools = List.copyOf(localTools);
        localPatterns = List.copyOf(localPatterns);
    }
}
