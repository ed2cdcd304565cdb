package dev.ffdispatch.protocol;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
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
     * Decodes a {@link FrameType#JOB} frame and checks all of it, so nothing the daemon does later
     * meets a value no real process could have sent. A version other than {@link #VERSION} is a
     * {@link ProtocolException} whose message tells the user what to upgrade; so is any request
     * holding what an ffmpeg command line cannot: a NUL byte in an argument, the working directory
     * or the environment, an environment name that is empty or holds '=', a relative working
     * directory, or counts larger than the bytes that follow them.
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
            int argc = elements(in, 4);
            List<byte[]> args = new ArrayList<>(argc);
            for (int i = 0; i < argc; i++) {
                args.add(noNul("argument " + (i + 1), readBytes(in)));
            }
            byte[] cwd = noNul("working directory", readBytes(in));
            if (cwd.length > 0 && cwd[0] != '/') {
                throw new ProtocolException("working directory '" + new String(cwd, StandardCharsets.UTF_8)
                    + "' is not absolute");
            }
            int envc = elements(in, 8);
            Map<String, String> env = new LinkedHashMap<>();
            for (int i = 0; i < envc; i++) {
                byte[] name = noNul("environment name " + (i + 1), readBytes(in));
                String key = new String(name, StandardCharsets.UTF_8);
                if (name.length == 0 || key.indexOf('=') >= 0) {
                    throw new ProtocolException("environment name '" + key + "' is empty or holds '='");
                }
                env.put(key, new String(noNul("environment variable " + key, readBytes(in)), StandardCharsets.UTF_8));
            }
            if (in.hasRemaining()) {
                throw new ProtocolException(in.remaining() + " unexpected bytes after the JOB request");
            }
            return new JobRequest(Tool.values()[toolCode], args, cwd, env);
        } catch (BufferUnderflowException e) {
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

    /** A count of elements of at least {@code minBytes} each: never more than the bytes left can hold. */
    private static int elements(ByteBuffer in, int minBytes) throws ProtocolException {
        int n = in.getInt();
        if (n < 0 || n > in.remaining() / minBytes) {
            throw new ProtocolException("bad element count " + n + " in JOB request (" + in.remaining() + " bytes follow)");
        }
        return n;
    }

    /** No process can hold a NUL inside an argument, directory or variable: such bytes are crafted. */
    private static byte[] noNul(String what, byte[] value) throws ProtocolException {
        for (byte b : value) {
            if (b == 0) {
                throw new ProtocolException(what + " holds a NUL byte, which no command line or environment can");
            }
        }
        return value;
    }

    private static byte[] readBytes(ByteBuffer in) throws ProtocolException {
        byte[] value = new byte[count(in)];
        in.get(value);
        return value;
    }
}
