package dev.ffdispatch.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ffdispatch.TestTimeouts;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StreamPumpTest {

    @Test
    void copiesEveryByteAndCompletesAtEndOfStream() throws Exception {
        byte[] data = new byte[3 * StreamPump.BUFFER_SIZE + 17];
        new Random(1).nextBytes(data);
        WatchedStream out = new WatchedStream();
        StreamPump.start(new ByteArrayInputStream(data), out, "test").get(TestTimeouts.SHORT.toMillis(), TimeUnit.MILLISECONDS);
        assertArrayEquals(data, out.toByteArray());
    }

    @Test
    void writesEachReadAtOnce() throws Exception {
        PipedOutputStream writer = new PipedOutputStream();
        WatchedStream out = new WatchedStream();
        var done = StreamPump.start(new PipedInputStream(writer), out, "test");
        writer.write("frame=1\r".getBytes(StandardCharsets.US_ASCII));
        writer.flush();
        out.awaitContains("frame=1\r", TestTimeouts.SHORT);
        writer.close();
        done.get(TestTimeouts.SHORT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Test
    void keepsDrainingWhenTheSinkFails() throws Exception {
        byte[] data = new byte[5 * StreamPump.BUFFER_SIZE];
        ByteArrayInputStream in = new ByteArrayInputStream(data);
        OutputStream broken = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("shim gone");
            }
        };
        StreamPump.start(in, broken, "test").get(TestTimeouts.SHORT.toMillis(), TimeUnit.MILLISECONDS);
        assertEquals(0, in.available());
    }
}
