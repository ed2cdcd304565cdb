package dev.ffdispatch.workersetup;

import dev.ffdispatch.store.PathMap;
import java.nio.file.Path;
import java.util.List;

/**
 * The worker to check and what it must share.
 *
 * @param address DNS name or IP address
 * @param name the name {@code host add} will give it
 * @param port SSH port
 * @param user login user
 * @param paths directories the worker must see and write (media roots, $TMPDIR/jellyfin), as Jellyfin sees them
 * @param transcodes Jellyfin's transcode directory as Jellyfin sees it; null when not given
 * @param maps path prefixes as Jellyfin sees them = as the worker sees them
 */
public record SetupRequest(String address, String name, int port, String user, List<Path> paths, Path transcodes,
                           List<PathMap> maps) {
    public SetupRequest {
        paths = List.copyOf(paths);
        maps = List.copyOf(maps);
    }
}
