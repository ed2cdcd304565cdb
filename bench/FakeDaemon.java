import dev.ffdispatch.protocol.Frame;
import dev.ffdispatch.protocol.FrameCodec;
import dev.ffdispatch.protocol.FrameType;
import dev.ffdispatch.protocol.JobRequest;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A stand-in daemon for bench/shim-startup: answers every JOB with one STDOUT frame (the second
 * argument plus a newline) and EXIT 0, so the benchmark measures the shim's whole path against a
 * real listening socket and nothing of a real daemon. Run with the jar on the class path:
 * {@code java -cp target/ffdispatch.jar bench/FakeDaemon.java <socket> [stdout-line]}.
 */
public class FakeDaemon {
    public static void main(String[] args) throws IOException {
        Path socket = Path.of(args[0]);
        byte[] stdout = ((args.length > 1 ? args[1] : "ffmpeg version fake") + "\n").getBytes(StandardCharsets.UTF_8);
        Files.deleteIfExists(socket);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        System.err.println("fake daemon listening on " + socket);
        while (true) {
            SocketChannel channel = server.accept();
            Thread thread = new Thread(() -> answer(channel, stdout));
            thread.setDaemon(true);
            thread.start();
        }
    }

    private static void answer(SocketChannel channel, byte[] stdout) {
        try (channel) {
            JobRequest.fromFrame(FrameCodec.read(new DataInputStream(Channels.newInputStream(channel))));
            OutputStream out = Channels.newOutputStream(channel);
            FrameCodec.write(out, FrameType.STDOUT, stdout, 0, stdout.length);
            FrameCodec.write(out, Frame.exit(0));
        } catch (IOException e) {
            System.err.println("fake daemon: " + e);
        }
    }
}
