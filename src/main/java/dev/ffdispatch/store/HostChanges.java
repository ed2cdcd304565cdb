package dev.ffdispatch.store;

import java.util.List;

/**
 * A partial update of a host: null fields stay as they are. To return an optional value to its
 * default: {@code user}, {@code ffmpeg}, {@code ffprobe} = "", {@code maxJobs} = 0, {@code mappings} = empty list,
 * {@code wake} = {@link #NO_WAKE}.
 *
 * @throws StoreException INVALID naming the bad value
 */
public record HostChanges(String address, Integer port, String user, Integer weight, Integer maxJobs,
                          String ffmpeg, String ffprobe, List<PathMap> mappings, WakeOnLan wake) {
    /** Turns Wake-on-LAN off (a value no MAC address can have). */
    public static final WakeOnLan NO_WAKE = new WakeOnLan("02:00:00:00:00:00", "0.0.0.0:9");

    public HostChanges {
        address = address == null ? null : HostRules.address(address);
        if (port != null) {
            HostRules.port(port);
        }
        if (user != null && !user.isEmpty()) {
            HostRules.user(user);
        }
        if (weight != null) {
            HostRules.weight(weight);
        }
        if (maxJobs != null && maxJobs != 0) {
            HostRules.maxJobs(maxJobs);
        }
        if (ffmpeg != null && !ffmpeg.isEmpty()) {
            HostRules.program("ffmpeg", ffmpeg);
        }
        if (ffprobe != null && !ffprobe.isEmpty()) {
            HostRules.program("ffprobe", ffprobe);
        }
        mappings = mappings == null ? null : HostRules.mappings(mappings);
    }

    /** Only the weight changes. */
    public static HostChanges weight(int weight) {
        return new HostChanges(null, null, null, weight, null, null, null, null, null);
    }

    /** True when nothing would change. */
    public boolean isEmpty() {
        return address == null && port == null && user == null && weight == null && maxJobs == null
                && ffmpeg == null && ffprobe == null && mappings == null && wake == null;
    }
}
