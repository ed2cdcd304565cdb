package dev.ffdispatch.protocol;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the shim asks the daemon to run. Arguments and the working directory are raw bytes,
 * exactly as the kernel gave them to the shim, because file names need not be valid UTF-8.
 *
 * @param tool which program Jellyfin called
 * @param args the arguments after argv[0], byte-exact
 * @param workingDirectory the shim's working directory, byte-exact (may be empty when unknown)
 * @param environment the shim's environment; the daemon forwards only what its config allows
 */
public record JobRequest(Tool tool, List<byte[]> args, byte[] workingDirectory, Map<String, String> environment) {
    /** Bumped on any incompatible change of this record's encoding or of the frame set. */
    public static final int VERSION = 1;

    public JobRequest {
        args = List.copyOf(args);
        environment = Map.copyOf(environment);
    }

    public Frame toFrame() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeShort(VERSION);
            out.writeByte(tool.ordinal());
            out.writeInt(args.size());
            for (byte[] arg : args) {
                writeBytes(out, arg);
            }
            writeBytes(out, workingDirectory);
            out.writeInt(environment.size());
            for (Map.Entry<String, String> e : environment.entrySet()) {
                writeBytes(out, e.getKey().getBytes(StandardCharsets.UTF_8));
                writeBytes(out, e.getValue().getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return new Frame(FrameType.JOB, bytes.toByteArray());
    }

    /**
     * Decodes a {@link FrameType#JOB} frame. A version other than {@link #VERSION} is a
     * {@link ProtocolException} whose message tells the user what to upgrade.
     */
    public static JobRequest fromFrame(Frame frame) throws ProtocolException {
        if (frame.type() != FrameType.JOB) {
            throw new ProtocolException("expected a JOB frame, got " + frame.type());
        }
        ByteBuffer in = ByteBuffer.wrap(frame.payload());
        try {
            int version = in.getShort() & 0xffff;
            if (version != VERSION) {
                throw new ProtocolException("shim speaks protocol version " + version + " but the daemon speaks "
                    + VERSION + ": install the same ffdispatch version for both and restart the daemon");
            }
            int toolCode = in.get();
            if (toolCode < 0 || toolCode >= Tool.values().length) {
                throw new ProtocolException("unknown tool code " + toolCode);
            }
            int argc = count(in);
            List<byte[]> args = new ArrayList<>(argc);
            for (int i = 0; i < argc; i++) {
                args.add(readBytes(in));
            }
            byte[] cwd = readBytes(in);
            int envc = count(in);
            Map<String, String> env = new LinkedHashMap<>();
            for (int i = 0; i < envc; i++) {
                env.put(new String(readBytes(in), StandardCharsets.UTF_8), new String(readBytes(in), StandardCharsets.UTF_8));
            }
            if (in.hasRemaining()) {
                throw new ProtocolException(in.remaining() + " unexpected bytes after the JOB request");
            }
            return new JobRequest(Tool.values()[toolCode], args, cwd, env);
        } catch (java.nio.BufferUnderflowException e) {
            throw new ProtocolException("JOB request truncated");
        }
    }

    private static void writeBytes(DataOutputStream out, byte[] value) throws IOException {
        out.writeInt(value.length);
        out.write(value);
    }

    private static int count(ByteBuffer in) throws ProtocolException {
        int n = in.getInt();
        if (n < 0 || n > in.remaining()) {
            throw new ProtocolException("bad element count " + n + " in JOB request");
        }
        return n;
    }

    private static byte[] readBytes(ByteBuffer in) throws ProtocolException {
        byte[] value = new byte[count(in)];
        in.get(value);
        return value;
    }
}
