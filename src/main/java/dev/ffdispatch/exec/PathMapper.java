package dev.ffdispatch.exec;

import dev.ffdispatch.store.PathMap;
import dev.ffdispatch.store.StoreException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Rewrites path prefixes for one worker whose shared storage is mounted elsewhere than on this
 * machine ({@code /media} here, {@code /mnt/media} there). Works on argument bytes, because file
 * names need not be valid UTF-8.
 *
 * <p>A prefix is recognised where ffmpeg arguments put paths: at the start of an argument, and
 * after {@code = ' " : |} (which covers {@code file:/x}, {@code concat:a|b},
 * {@code concat:"a|b"} and filter options such as {@code subtitles=f='/media/a.srt'}). It matches
 * only at a path boundary: {@code /media} rewrites {@code /media} and {@code /media/x}, never
 * {@code /media2/x}. The longest matching prefix wins.
 */
public final class PathMapper {
    /** No mapping: arguments pass unchanged. */
    public static final PathMapper NONE = new PathMapper(List.of());

    private final List<Encoded> mappings;

    /**
     * One prefix rewrite.
     *
     * @param local absolute directory as this machine (and Jellyfin) sees it, such as {@code /media}
     * @param remote the same directory as the worker sees it, such as {@code /mnt/media}
     */
    public record Mapping(String local, String remote) {
        /** Checked and normalised by {@link PathMap}, the rule {@code host add --map} applies too. */
        public Mapping {
            PathMap checked;
            try {
                checked = new PathMap(local, remote);
            } catch (StoreException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
            local = checked.local();
            remote = checked.remote();
        }

        /** The mapping of a stored host row. */
        public static Mapping of(PathMap map) {
            return new Mapping(map.local(), map.remote());
        }
    }

    private record Encoded(byte[] local, byte[] remote) {
    }

    /** The mapper of a stored host row's (or a request's) mappings. */
    public static PathMapper of(List<PathMap> maps) {
        return new PathMapper(maps.stream().map(Mapping::of).toList());
    }

    public PathMapper(List<Mapping> mappings) {
        Set<String> seen = new HashSet<>();
        List<Encoded> encoded = new ArrayList<>();
        for (Mapping m : mappings) {
            if (!seen.add(m.local())) {
                throw new IllegalArgumentException("path mapping local (" + m.local()
                    + ") appears twice: keep one remote path per local directory");
            }
            encoded.add(new Encoded(m.local().getBytes(StandardCharsets.UTF_8), m.remote().getBytes(StandardCharsets.UTF_8)));
        }
        // Longest first, so the first match at a position is the longest one.
        encoded.sort(Comparator.comparingInt((Encoded e) -> e.local().length).reversed());
        this.mappings = List.copyOf(encoded);
    }

    /** The arguments with every recognised prefix rewritten; unchanged arguments keep their instance. */
    public List<byte[]> mapArguments(List<byte[]> args) {
        if (mappings.isEmpty()) {
            return args;
        }
        List<byte[]> out = new ArrayList<>(args.size());
        for (byte[] arg : args) {
            out.add(mapArgument(arg));
        }
        return out;
    }

    /** One argument, rewritten at every place a path may start. */
    byte[] mapArgument(byte[] arg) {
        return rewrite(arg, true);
    }

    /** A working directory: rewritten only when it starts with a mapped prefix. */
    public byte[] mapDirectory(byte[] dir) {
        return dir == null ? new byte[0] : rewrite(dir, false);
    }

    /** The spec as the worker must see it: arguments and working directory mapped. */
    public JobSpec map(JobSpec spec) {
        if (mappings.isEmpty()) {
            return spec;
        }
        return new JobSpec(spec.program(), mapArguments(spec.args()), mapDirectory(spec.workingDirectory()), spec.environment());
    }

    private byte[] rewrite(byte[] in, boolean inside) {
        ByteArrayOutputStream out = null;
        int copied = 0;
        int i = 0;
        while (i < in.length) {
            Encoded hit = (i == 0 || (inside && isPathStart(in[i - 1]))) ? matchAt(in, i) : null;
            if (hit == null) {
                i++;
                continue;
            }
            if (out == null) {
                out = new ByteArrayOutputStream(in.length + 32);
            }
            out.write(in, copied, i - copied);
            out.writeBytes(hit.remote());
            i += hit.local().length;
            copied = i;
        }
        if (out == null) {
            return in;
        }
        out.write(in, copied, in.length - copied);
        return out.toByteArray();
    }

    private Encoded matchAt(byte[] in, int at) {
        for (Encoded m : mappings) {
            if (startsWith(in, at, m.local()) && isBoundary(in, at + m.local().length)) {
                return m;
            }
        }
        return null;
    }

    private static boolean startsWith(byte[] in, int at, byte[] prefix) {
        if (in.length - at < prefix.length) {
            return false;
        }
        for (int k = 0; k < prefix.length; k++) {
            if (in[at + k] != prefix[k]) {
                return false;
            }
        }
        return true;
    }

    /** Bytes after which ffmpeg syntax may start a path: option values, quotes, protocol and concat separators. */
    private static boolean isPathStart(byte b) {
        return b == '=' || b == '\'' || b == '"' || b == ':' || b == '|';
    }

    /** The prefix ends a path component: end of argument, a slash, or a delimiter of the syntax around it. */
    private static boolean isBoundary(byte[] in, int end) {
        if (end == in.length) {
            return true;
        }
        byte b = in[end];
        return b == '/' || b == '\'' || b == '"' || b == ':' || b == '|';
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("PathMapper[");
        for (Encoded m : mappings) {
            s.append(new String(m.local(), StandardCharsets.UTF_8)).append("->")
                .append(new String(m.remote(), StandardCharsets.UTF_8)).append(' ');
        }
        return s.toString().trim() + "]";
    }
}
