package dev.ffdispatch.protocol;

/** One frame: its type and its payload (never null, possibly empty). */
public record Frame(FrameType type, byte[] payload) {

    public static Frame exit(int code) {
        return new Frame(FrameType.EXIT, new byte[] {
            (byte) (code >>> 24), (byte) (code >>> 16), (byte) (code >>> 8), (byte) code});
    }

    /** The exit code carried by an {@link FrameType#EXIT} frame. */
    public int exitCode() throws ProtocolException {
        if (type != FrameType.EXIT || payload.length != 4) {
            throw new ProtocolException("not an EXIT frame: " + type + " with " + payload.length + " bytes");
        }
        return ((payload[0] & 0xff) << 24) | ((payload[1] & 0xff) << 16) | ((payload[2] & 0xff) << 8) | (payload[3] & 0xff);
    }
}
