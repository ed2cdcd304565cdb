package dev.ffdispatch.exec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Holds a job's output until the job is known to have started, then releases it and passes
 * everything through. A job that did not start leaves no trace in the sink (its stderr, such as
 * a failed {@code cd}, goes into the error instead), so the caller can retry elsewhere cleanly.
 */
final class StartGate extends OutputStream {
    /** Before the start only a banner or a shell error arrives; more than this is dropped. */
    static final int HELD_LIMIT = 64 * 1024;

    private enum State { HOLDING, OPEN, DISCARDING }

    private final OutputStream out;
    private final ByteArrayOutputStream held = new ByteArrayOutputStream();
    private State state = State.HOLDING;

    StartGate(OutputStream out) {
        this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        switch (state) {
            case OPEN -> out.write(b, off, len);
            case HOLDING -> held.write(b, off, Math.min(len, HELD_LIMIT - held.size()));
            case DISCARDING -> { }
        }
    }

    @Override
    public synchronized void flush() throws IOException {
        if (state == State.OPEN) {
            out.flush();
        }
    }

    /** The job started: what was held goes out now, in order, and later bytes go straight through. */
    synchronized void open() throws IOException {
        state = State.OPEN;
        if (held.size() > 0) {
            held.writeTo(out);
            out.flush();
            held.reset();
        }
    }

    /** The job did not start: returns what was held, as text, and drops whatever comes later. */
    synchronized String discard() {
        state = State.DISCARDING;
        String text = held.toString(StandardCharsets.UTF_8);
        held.reset();
        return text;
    }
}
