package dev.ffdispatch.ssh;

import java.time.Instant;
import java.util.Objects;

/**
 * Which binary a program on a worker is: its path with symbolic links resolved, its size and its
 * modification time. A new ffmpeg build changes at least one of them, so capability profiles
 * can be keyed on it.
 *
 * @param path the resolved absolute path on the worker
 * @param size bytes
 * @param modified mtime, whole seconds
 */
public record BinaryIdentity(String path, long size, Instant modified) {

    public BinaryIdentity {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(modified, "modified");
    }

    /** Reads the answer of the {@code ident} request: {@code <size> <mtime seconds> <path>}. */
    static BinaryIdentity parse(String payload) throws WorkerAnswerException {
        String[] parts = payload.split(" ", 3);
        try {
            if (parts.length == 3 && parts[2].startsWith("/")) {
                return new BinaryIdentity(parts[2], Long.parseLong(parts[0]), Instant.ofEpochSecond(Long.parseLong(parts[1])));
            }
        } catch (NumberFormatException e) {
            // falls through to the error below
        }
        throw new WorkerAnswerException("the identity answer \"" + WorkerLink.excerpt(payload)
            + "\" is not <size> <mtime> <path>; check that stat works on the worker");
    }

    /** {@code /usr/bin/ffmpeg (296 KiB bytes, modified 2024-01-01T00:00:00Z)}-like text for logs. */
    @Override
    public String toString() {
        return path + " (" + size + " bytes, modified " + modified + ")";
    }
}
