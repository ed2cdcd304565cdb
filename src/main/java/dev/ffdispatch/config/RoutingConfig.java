package dev.ffdispatch.config;

import java.util.List;

/**
 * {@code routing.*}: jobs that always run locally, and whether capability profiles are used.
 *
 * @param localTools    {@code routing.local_tools}: tools always run locally, a subset of [ffmpeg, ffprobe]
 * @param localPatterns {@code routing.local_patterns}: Java regexes; a job whose arguments joined by ' '
 *                      contain a match runs locally
 * @param capabilities  {@code routing.capabilities}: learn each ffmpeg's capability profile, answer
 *                      capability probes from it and send each job only to workers that have what
 *                      it names; false: probes run like jobs and every worker is a candidate for every job
 */
public record RoutingConfig(List<String> localTools, List<String> localPatterns, boolean capabilities) {
    public RoutingConfig {
        localTools = List.copyOf(localTools);
        localPatterns = List.copyOf(localPatterns);
    }
}
