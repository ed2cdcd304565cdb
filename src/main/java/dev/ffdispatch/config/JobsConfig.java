package dev.ffdispatch.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code jobs.*}: how remote jobs are run and stopped.
 *
 * @param killGrace      {@code jobs.kill_grace}: time between TERM and KILL when a job is ended
 * @param envPassthrough {@code jobs.env_passthrough}: Jellyfin's variables forwarded to the remote ffmpeg
 * @param env            {@code jobs.env}: fixed variables set for every remote ffmpeg
 * @param retention      {@code jobs.retention}: how long ended jobs and host events stay in the
 *                       database (they hold full command lines); the daemon deletes older ones
 */
public record JobsConfig(Duration killGrace, List<String> envPassthrough, Map<String, String> env, Duration retention) {
    public JobsConfig {
        envPassthrough = List.copyOf(envPassthrough);
        env = Map.copyOf(env);
    }
}
