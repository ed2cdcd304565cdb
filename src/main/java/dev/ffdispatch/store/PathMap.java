package dev.ffdispatch.store;

/**
 * A directory prefix as Jellyfin sees it ({@code local}) and as the worker sees it ({@code remote}).
 * Both are absolute and not the root directory; trailing slashes are dropped. This is the one
 * rule for mappings: the CLI checks {@code --map} with it and the daemon's path mapper builds on it.
 */
public record PathMap(String local, String remote) {
    public PathMap {
        local = HostRules.absolute("mapping local side", local);
        remote = HostRules.absolute("mapping remote side", remote);
    }

    /**
     * Parses {@code <local>=<remote>}, split at the first '='.
     *
     * @throws StoreException INVALID naming the text
     */
    public static PathMap parse(String text) {
        int eq = text.indexOf('=');
        if (eq < 0) {
            throw new StoreException(StoreException.Kind.INVALID,
                    "mapping '" + text + "' has no '='; write <local>=<remote>, e.g. /media=/mnt/media");
        }
        return new PathMap(text.substring(0, eq), text.substring(eq + 1));
    }

    @Override
    public String toString() {
        return local + "=" + remote;
    }
}
