package dev.ffdispatch.daemon;

import dev.ffdispatch.protocol.ChannelStreams;
import dev.ffdispatch.protocol.Frame;
import dev.ffdispatch.protocol.FrameCodec;
import dev.ffdispatch.protocol.FrameType;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * The daemon's end of one shim connection. Frames from several threads (stdout and stderr
 * pumps, the exit) are written under one lock so they never interleave; once the shim is gone,
 * writes are dropped quietly because the job's fate is decided by the reader side. A data frame
 * goes out as one gathering write of a reused header and the caller's bytes in place: the
 * output relay allocates and copies nothing per chunk.
 */
final class ShimConnection implements Closeable {
    private final SocketChannel channel;
    private final InputStream in;
    private final Object writeLock = new Object();
    /** Guarded by writeLock: [0] the header, [1] the payload of the frame being written. */
    private final ByteBuffer[] frame = {ByteBuffer.allocate(FrameCodec.HEADER), null};
    private final byte[] header = frame[0].array();
    private volatile boolean broken;

    ShimConnection(SocketChannel channel) {
        this.channel = channel;
        this.in = new BufferedInputStream(ChannelStreams.in(channel), FrameCodec.CHUNK + 16);
    }

    /** The next frame, or null when the shim closed the connection. */
    Frame read() throws IOException {
        return FrameCodec.read(in);
    }

    void send(FrameType type, byte[] data, int offset, int length) {
        if (broken) {
            return;
        }
        synchronized (writeLock) {
            try {
                int sent = 0;
                do {
                    int chunk = Math.min(FrameCodec.CHUNK, length - sent);
                    writeFrame(type, data, offset + sent, chunk);
                    sent += chunk;
                } while (sent < length);
            } catch (IOException e) {
                broken = true;
            }
        }
    }

    /** Caller holds writeLock. A blocking channel may still write partially: loop until all is out. */
    private void writeFrame(FrameType type, byte[] data, int offset, int length) throws IOException {
        FrameCodec.putHeader(header, 0, type, length);
        frame[0].clear();
        frame[1] = ByteBuffer.wrap(data, offset, length);
        try {
            while (frame[1].hasRemaining() || frame[0].hasRemaining()) {
                channel.write(frame);
            }
        } finally {
            frame[1] = null; // the caller's array is not ours to keep
        }
    }

    /**
     * One frame, however long (up to {@link FrameCodec#MAX_PAYLOAD}): a reply such as STATUS is
     * one JSON document, and a client must not have to reassemble it from data chunks.
     */
    void sendWhole(Frame whole) {
        if (broken) {
            return;
        }
        synchronized (writeLock) {
            try {
                writeFrame(whole.type(), whole.payload(), 0, whole.payload().length);
            } catch (IOException e) {
                broken = true;
            }
        }
    }

    void send(Frame frame) {
        send(frame.type(), frame.payload(), 0, frame.payload().length);
    }

    /** A line for the user on the shim's stderr, prefixed so it is clearly ours. */
    void tellStderr(String line) {
        byte[] bytes = ("ffdispatch: " + line + "\n").getBytes(StandardCharsets.UTF_8);
        send(FrameType.STDERR, bytes, 0, bytes.length);
    }

    /** An OutputStream that forwards each write as frames of {@code type}, unbuffered. */
    OutputStream stream(FrameType type) {
        return new OutputStream() {
            @Override
            public void write(int b) {
                send(type, new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                if (len > 0) {
                    send(type, b, off, len);
                }
            }
        };
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // already gone: nothing left to release
        }
    }
}
