package dev.ffdispatch.protocol;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * Reads and writes frames: one type byte, a 4-byte big-endian payload length, the payload.
 * Callers own buffering and locking: a stream shared by several writers needs one lock around
 * each frame. Writing never copies the payload; the busy paths (the daemon's output relay, the
 * shim's stdin pump) also reuse their header bytes through {@link #putHeader}.
 */
public final class FrameCodec {
    /** Largest payload accepted; data is sent in chunks of at most {@link #CHUNK} bytes. */
    public static final int MAX_PAYLOAD = 16 * 1024 * 1024;
    /** Size of the data chunks the shim and the daemon send. */
    public static final int CHUNK = 64 * 1024;
    /** Bytes before the payload: the type and the length. */
    public static final int HEADER = 5;

    private FrameCodec() {
    }

    /** Writes the {@link #HEADER} bytes of a frame of {@code type} with {@code length} payload bytes at {@code at}. */
    public static void putHeader(byte[] into, int at, FrameType type, int length) {
        into[at] = (byte) type.code;
        into[at + 1] = (byte) (length >>> 24);
        into[at + 2] = (byte) (length >>> 16);
        into[at + 3] = (byte) (length >>> 8);
        into[at + 4] = (byte) length;
    }

    /** One frame as two writes, the header and the payload in place. */
    public static void write(OutputStream out, FrameType type, byte[] data, int offset, int length) throws IOException {
        byte[] header = new byte[HEADER];
        putHeader(header, 0, type, length);
        out.write(header);
        if (length > 0) {
            out.write(data, offset, length);
        }
    }

    public static void write(OutputStream out, Frame frame) throws IOException {
        write(out, frame.type(), frame.payload(), 0, frame.payload().length);
    }

    /**
     * A payload of {@code length} bytes. Up to a chunk it is read in place; past that the buffer
     * grows with the bytes that really arrive, because a header can announce 16 MiB and send none.
     */
    private static byte[] payload(DataInputStream in, int length) throws IOException {
        if (length <= CHUNK) {
            byte[] payload = new byte[length];
            in.readFully(payload);
            return payload;
        }
        byte[] buffer = new byte[CHUNK];
        int filled = 0;
        while (filled < length) {
            if (filled == buffer.length) {
                buffer = Arrays.copyOf(buffer, (int) Math.min(length, 2L * buffer.length));
            }
            int n = in.read(buffer, filled, buffer.length - filled);
            if (n < 0) {
                throw new EOFException();
            }
            filled += n;
        }
        return buffer;
    }

    /** The next frame, or null at a clean end of stream (before the first header byte). */
    public static Frame read(InputStream in) throws IOException {
        int code = in.read();
        if (code < 0) {
            return null;
        }
        DataInputStream data = in instanceof DataInputStream d ? d : new DataInputStream(in);
        try {
            int length = data.readInt();
            if (length < 0 || length > MAX_PAYLOAD) {
                throw new ProtocolException("frame length " + length + " outside 0.." + MAX_PAYLOAD);
            }
            FrameType type = FrameType.of(code);
            return new Frame(type, payload(data, length));
        } catch (EOFException e) {
            throw new ProtocolException("connection closed inside a frame");
        }
    }
}
