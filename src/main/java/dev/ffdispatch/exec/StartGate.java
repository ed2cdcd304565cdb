package dev.ffdispatch.exec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Holds a job's output until the job is known to have started, then releases it and passes
 * everything through. A job that did not start leaves no trace in the sink (its stderr, such as
 * a failed {@code cd}, goes into the error instead), so the caller can retry elsewhere cleanly.
 *
 * <p>Real output is held too: the program's first stdout bytes may overtake the PID line on
 * stderr (two pipes, read independently), and not one byte may be lost. The gate opens the
 * moment the PID line is seen, so what is held is bounded by pipe and SSH window sizes.
 *
 * <p>Each gate has one writer (its stream's pump). Once open, writes go straight through without
 * the lock: open() publishes the target only after the held bytes are out, so order is kept.
 */
final class StartGate extends OutputStream {
    /**
     * More than this while holding makes the writer wait for the gate to open or be discarded:
     * never dropped, and memory stays bounded. Far above what can overtake a PID line.
     */
    static final int HELD_LIMIT = 16 * 1024 * 1024;

    private enum State { HOLDING, OPEN, DISCARDING }

    private final OutputStream out;
    private final ByteArrayOutputStream held = new ByteArrayOutputStream();
    private State state = State.HOLDING;
    /** Set last by open(): from then on the single writer needs no lock. */
    private volatile OutputStream passThrough;

    StartGate(OutputStream out) {
        this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        OutputStream open = passThrough;
        if (open != null) {
            open.write(b, off, len);
            return;
        }
        writeWhileDeciding(b, off, len);
    }

    private synchronized void writeWhileDeciding(byte[] b, int off, int len) throws IOException {
        while (state == State.HOLDING && held.size() + len > HELD_LIMIT && held.size() > 0) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while holding output for a job not yet started");
            }
        }
        switch (state) {
            case OPEN -> out.write(b, off, len);
            case HOLDING -> held.write(b, off, len);
            case DISCARDING -> { }
        }
    }

    @Override
    public void flush() throws IOException {
        OutputStream open = passThrough;
        if (open != null) {
            open.flush();
        }
    }

    /**
     * The job started: what was held goes out now, in order, and later bytes go straight
     * through. Does nothing once discarded (a start given up stays given up). Idempotent.
     */
    synchronized void open() throws IOException {
        if (state != State.HOLDING) {
            return;
        }
        state = State.OPEN;
        notifyAll();
        if (held.size() > 0) {
            held.writeTo(out);
            out.flush();
            held.reset();
        }
        passThrough = out;
    }

    /** The job did not start: returns what was held, as text, and drops whatever comes later. */
    synchronized String discard() {
        state = State.DISCARDING;
        notifyAll();
        String text = held.toString(StandardCharsets.UTF_8);
        held.reset();
        return text;
    }
}
