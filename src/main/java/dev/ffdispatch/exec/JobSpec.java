package dev.ffdispatch.exec;

import java.util.List;
import java.util.Map;

/**
 * One job as the executor sees it. Bytes, not Strings, because file names need not be valid
 * UTF-8 and must reach ffmpeg byte-identical.
 *
 * @param program the ffmpeg or ffprobe path to run on the target (already chosen per host)
 * @param args the arguments, byte-exact, before path mapping
 * @param workingDirectory the directory to run in, or an empty array for "don't care"
 * @param environment variables to set for the process (already filtered by configuration)
 */
public record JobSpec(String program, List<byte[]> args, byte[] workingDirectory, Map<String, String> environment) {
    public JobSpec {
        args = List.copyOf(args);
        environment = Map.copyOf(environment);
    }
}
