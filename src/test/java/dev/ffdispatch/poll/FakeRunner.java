package dev.ffdispatch.poll;

import dev.ffdispatch.ssh.CommandResult;
import dev.ffdispatch.ssh.RemoteCommandRunner;
import dev.ffdispatch.ssh.SshTarget;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Plays the workers: each host name answers what the test set, and every call is recorded. */
final class FakeRunner implements RemoteCommandRunner {
    /** What one host does when probed. */
    interface Answer {
        CommandResult answer(SshTarget target, String command, Duration timeout) throws IOException;
    }

    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final List<String> calls = new ArrayList<>();

    void answer(String host, Answer answer) {
        answers.put(host, answer);
    }

    static Answer prints(String stdout) {
        return (target, command, timeout) -> result(stdout, Duration.ofMillis(12));
    }

    static Answer throwing(IOException e) {
        return (target, command, timeout) -> {
            throw e;
        };
    }

    static CommandResult result(String stdout, Duration elapsed) {
        return new CommandResult(0, stdout.getBytes(StandardCharsets.UTF_8), new byte[0], elapsed);
    }

    synchronized int calls(String host) {
        return (int) calls.stream().filter(host::equals).count();
    }

    @Override
    public CommandResult run(SshTarget target, String command, Duration timeout) throws IOException {
        synchronized (this) {
            calls.add(target.name());
        }
        Answer answer = answers.get(target.name());
        if (answer == null) {
            throw new IOException("no answer set for " + target.name());
        }
        return answer.answer(target, command, timeout);
    }
}
