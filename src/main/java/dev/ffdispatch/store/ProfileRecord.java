package dev.ffdispatch.store;

import dev.ffdispatch.caps.ProbeAnswer;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * A stored capability profile: what one binary on one machine answered, keyed by the binary's
 * identity, so a daemon that starts again answers at once and learns again only what changed.
 *
 * @param machine {@code host:<id>} for a worker, {@code local:<server>} for the machine a daemon runs on
 * @param tool {@code ffmpeg} or {@code ffprobe}
 * @param path the binary's resolved path on that machine
 * @param size its size in bytes
 * @param modified its modification time (whole seconds)
 * @param learned when the profile was learned
 * @param workingHwaccels the listed hardware devices that passed their test; null when none was tested
 * @param answers probe key -> answer, byte-exact
 */
public record ProfileRecord(String machine, String tool, String path, long size, Instant modified, Instant learned,
                            Set<String> workingHwaccels, Map<String, ProbeAnswer> answers) {
    public ProfileRecord {
        workingHwaccels = workingHwaccels == null ? null : Collections.unmodifiableSet(new LinkedHashSet<>(workingHwaccels));
        answers = Collections.unmodifiableMap(new LinkedHashMap<>(answers));
    }

    /** The profile key of worker {@code hostId}. */
    public static String host(long hostId) {
        return "host:" + hostId;
    }

    /** The profile key of the machine the daemon named {@code server} runs on. */
    public static String local(String server) {
        return "local:" + server;
    }
}
