package dev.ffdispatch.ssh;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.util.Arrays;

/** Keeps the first {@code cap} bytes and drops the rest, so a chatty probe cannot fill the heap. */
final class CappedOutputStream extends OutputStream {
    static final int ONE_MIB = 1 << 20;

    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private final int cap;

    CappedOutputStream(int cap) {
        this.cap = cap;
    }

    @Override
    public synchronized void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        int room = Math.max(0, cap - kept.size());
        int take = Math.min(room, len);
        kept.write(b, off, take);
    }

    synchronized byte[] bytes() {
        return Arrays.copyOf(kept.toByteArray(), kept.size());
    }
}
