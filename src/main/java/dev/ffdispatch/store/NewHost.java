package dev.ffdispatch.store;

import java.util.List;

/**
 * A host to add. The constructor validates every field, so an instance is always storable.
 *
 * @param user    null = the configured {@code ssh.user}
 * @param maxJobs null = no cap
 * @param ffmpeg  null = {@code ffmpeg} on the worker's PATH
 * @param ffprobe null = {@code ffprobe} on the worker's PATH
 * @param wake    null = no Wake-on-LAN
 * @throws StoreException INVALID naming the bad value and what is accepted
 */
public record NewHost(String name, String address, int port, String user, int weight, Integer maxJobs,
                      String ffmpeg, String ffprobe, List<PathMap> mappings, WakeOnLan wake) {
    /** The SSH port when none is given. */
    public static final int DEFAULT_PORT = 22;
    /** The weight when none is given. */
    public static final int DEFAULT_WEIGHT = 1;

    public NewHost {
        address = HostRules.address(address);
        name = HostRules.name(name == null ? address : name);
        HostRules.port(port);
        user = HostRules.user(user);
        HostRules.weight(weight);
        HostRules.maxJobs(maxJobs);
        ffmpeg = HostRules.program("ffmpeg", ffmpeg);
        ffprobe = HostRules.program("ffprobe", ffprobe);
        mappings = HostRules.mappings(mappings == null ? List.of() : mappings);
    }

    /** A host with every optional value at its default. */
    public static NewHost of(String address) {
        return new NewHost(null, address, DEFAULT_PORT, null, DEFAULT_WEIGHT, null, null, null, List.of(), null);
    }
}
