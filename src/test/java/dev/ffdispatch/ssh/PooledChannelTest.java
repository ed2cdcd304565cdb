package dev.ffdispatch.ssh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.ffdispatch.TestTimeouts;
import dev.ffdispatch.demo.LoopbackWorker;
import dev.ffdispatch.posix.JobExitCodes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PooledChannelTest {
    @RegisterExtension
    final SshTestbed bed = new SshTestbed();
    LoopbackWorker worker;
    SshPool pool;
    SshTarget target;

    @BeforeEach
    void setUp() throws IOException {
        worker = bed.worker("w1");
        pool = bed.pool();
        target = SshTestbed.target(worker);
    }

    @Test
    void carriesOneMebibyteOfBinaryStdoutExactly() throws Exception {
        byte[] data = new byte[1 << 20];
        new Random(42).nextBytes(data);
        Path file = Files.write(bed.dir().resolve("blob"), data);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        RemoteExit exit = finish(pool.open(target, "cat " + file, out, err, TestTimeouts.SHORT));

        assertEquals(0, exit.exitCode());
        assertArrayEquals(data, out.toByteArray());
        assertEquals(0, err.size());
    }

    @Test
    void keepsStderrSeparate() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        finish(pool.open(target, "printf 'o1\\n'; printf 'e1\\n' >&2; printf 'o2'", out, err, TestTimeouts.SHORT));

        assertEquals("o1\no2", out.toString(StandardCharsets.UTF_8));
        assertEquals("e1\n", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void sendsStdinBytesAtOnce() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RemoteChannel channel = pool.open(target, "head -c 1; echo done", out, new ByteArrayOutputStream(),
            TestTimeouts.SHORT);

        channel.stdin().write('q'); // no close: the byte alone must reach the remote program

        RemoteExit exit = channel.exit().get(TestTimeouts.SHORT.toMillis(), TimeUnit.MILLISECONDS);
        assertEquals(0, exit.exitCode());
        assertEquals("qdone\n", out.toString(StandardCharsets.US_ASCII));
        channel.close();
    }

    @Test
    void streamsStdoutBeforeTheCommandEnds() throws Exception {
        CompletableFuture<String> firstBytes = new CompletableFuture<>();
        OutputStream out = new OutputStream() {
            @Override
            public void write(int b) {
                firstBytes.complete(String.valueOf((char) b));
            }

            @Override
            public void write(byte[] b, int off, int len) {
                firstBytes.complete(new String(b, off, len, StandardCharsets.US_ASCII));
            }
        };
        RemoteChannel channel = pool.open(target, "echo first; head -c 1 >/dev/null", out,
            new ByteArrayOutputStream(), TestTimeouts.SHORT);

        assertEquals("first\n", firstBytes.get(TestTimeouts.SHORT.toMillis(), TimeUnit.MILLISECONDS));
        assertFalse(channel.exit().isDone());
        channel.stdin().close(); // EOF ends head
        assertEquals(0, channel.exit().get(TestTimeouts.SHORT.toMillis(), TimeUnit.MILLISECONDS).exitCode());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 69, 255})
    void passesExitCodesThrough(int code) throws Exception {
        RemoteExit exit = finish(pool.open(target, "exit " + code, new ByteArrayOutputStream(),
            new ByteArrayOutputStream(), TestTimeouts.SHORT));

        assertEquals(code, exit.exitCode());
        assertFalse(exit.connectionLost());
    }

    @Test
    void reportsAKilledShellAs137() throws Exception {
        RemoteExit exit = finish(pool.open(target, "kill -9 $$", new ByteArrayOutputStream(),
            new ByteArrayOutputStream(), TestTimeouts.SHORT));

        assertEquals(JobExitCodes.SIGNAL_BASE + 9, exit.exitCode());
    }

    @Test
    void reportsConnectionLostWhenTheWorkerDiesMidCommand() throws Exception {
        CompletableFuture<Void> started = new CompletableFuture<>();
        OutputStream out = new OutputStream() {
            @Override
            public void write(int b) {
                started.complete(null);
            }
        };
        RemoteChannel channel = pool.open(target, "echo started; sleep 20", out, new ByteArrayOutputStream(),
            TestTimeouts.SHORT);
        started.get(TestTimeouts.SHORT.toMillis(), TimeUnit.MILLISECONDS);

        worker.stop();

        RemoteExit exit = channel.exit().get(TestTimeouts.SHORT.toMillis(), TimeUnit.MILLISECONDS);
        assertTrue(exit.connectionLost(), exit.toString());
        assertNull(exit.status());
        assertEquals(JobExitCodes.WORKER_LOST, exit.exitCode());
    }

    private static RemoteExit finish(RemoteChannel channel) throws Exception {
        try (channel) {
            channel.stdin().close();
            return channel.exit().get(TestTimeouts.SHORT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
