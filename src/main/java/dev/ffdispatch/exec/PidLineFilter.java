package dev.ffdispatch.exec;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * Sits on a job's stderr: takes out the first line {@code ffdispatch-pid <n>\n} written by
 * {@link RemoteCommand}, completes {@link #pid()} with it, and passes every other byte through
 * as it comes. Lines before it (a login banner, the error of a failed {@code cd}) pass through
 * too; only bytes that may still turn out to be the PID line are held, at most one short line.
 *
 * <p>Writes may split the PID line anywhere (SSH packets, pipe reads). Thread-safe; once the
 * line has been taken out, writes pass straight through without the lock.
 */
final class PidLineFilter extends OutputStream {
    private static final byte[] PREFIX = RemoteCommand.PID_PREFIX.getBytes(StandardCharsets.US_ASCII);
    /** 18 decimal digits always fit a long; real PIDs have at most 7. */
    private static final int MAX_DIGITS = 18;

    private final OutputStream out;
    private final CompletableFuture<Long> pid = new CompletableFuture<>();
    private final byte[] pending = new byte[PREFIX.length + MAX_DIGITS + 1];
    private int pendingLength;
    private boolean atLineStart = true;
    private volatile boolean found;

    PidLineFilter(OutputStream out) {
        this.out = out;
    }

    /** Completes with the PID once its line has been seen; never completes when there is none. */
    CompletableFuture<Long> pid() {
        return pid;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (found) {
            out.write(b, off, len);
            return;
        }
        Long reported = null;
        synchronized (this) {
            int end = off + len;
            int i = off;
            while (i < end && !found) {
                if (atLineStart || pendingLength > 0) {
                    i = matchByte(b, i);
                    if (found) {
                        reported = parsePid();
                    }
                } else {
                    i = passLine(b, i, end);
                }
            }
            if (i < end) {
                out.write(b, i, end - i);
            }
        }
        if (reported != null) {
            pid.complete(reported);
        }
    }

    /** Takes b[i] into the candidate line, or gives the candidate up; returns the next index to look at. */
    private int matchByte(byte[] b, int i) throws IOException {
        byte c = b[i];
        if (accepts(c)) {
            pending[pendingLength++] = c;
            found = c == '\n';
            return i + 1;
        }
        // Not our line: release what was held and look at c again as part of an ordinary line.
        out.write(pending, 0, pendingLength);
        pendingLength = 0;
        atLineStart = false;
        return i;
    }

    private boolean accepts(byte c) {
        if (pendingLength < PREFIX.length) {
            return c == PREFIX[pendingLength];
        }
        int digits = pendingLength - PREFIX.length;
        if (c >= '0' && c <= '9') {
            return digits < MAX_DIGITS;
        }
        return c == '\n' && digits > 0;
    }

    /** Passes the rest of an ordinary line (up to and including its newline) through. */
    private int passLine(byte[] b, int i, int end) throws IOException {
        int stop = i;
        while (stop < end && b[stop] != '\n') {
            stop++;
        }
        if (stop < end) {
            stop++;
            atLineStart = true;
        }
        out.write(b, i, stop - i);
        return stop;
    }

    private long parsePid() {
        String digits = new String(pending, PREFIX.length, pendingLength - PREFIX.length - 1, StandardCharsets.US_ASCII);
        pendingLength = 0;
        return Long.parseLong(digits);
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    /**
     * The stream ended: releases a held partial line (it was not the PID line after all).
     * Does not close the stream underneath, which belongs to the caller.
     */
    @Override
    public synchronized void close() throws IOException {
        if (!found && pendingLength > 0) {
            out.write(pending, 0, pendingLength);
            pendingLength = 0;
        }
        out.flush();
    }
}
