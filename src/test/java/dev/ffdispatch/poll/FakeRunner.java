package dev.ffdispatch.poll;

import dev.ffdispatch.ssh.SshTarget;
import dev.ffdispatch.ssh.WorkerCommands.Request;
import dev.ffdispatch.ssh.WorkerLink;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Plays the workers' links: each host name answers what the test set, and every call is recorded. */
final class FakeRunner implements WorkerLink {
    /** What one host does when asked. */
    interface Answer {
        WorkerLink.Answer answer(SshTarget target, Request request, Duration timeout) throws IOException;
    }

    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final List<String> calls = new ArrayList<>();
    private volatile Duration startAllowance = Duration.ZERO;

    void answer(String host, Answer answer) {
        answers.put(host, answer);
    }

    void startAllowance(Duration allowance) {
        startAllowance = allowance;
    }

    static Answer prints(String stdout) {
        return (target, request, timeout) -> result(stdout, Duration.ofMillis(12));
    }

    static Answer throwing(IOException e) {
        return (target, request, timeout) -> {
            throw e;
        };
    }

    static WorkerLink.Answer result(String stdout, Duration elapsed) {
        return new WorkerLink.Answer(stdout.strip(), elapsed);
    }

    synchronized int calls(String host) {
        return (int) calls.stream().filter(host::equals).count();
    }

    @Override
    public Duration startAllowance() {
        return startAllowance;
    }

    @Override
    public WorkerLink.Answer ask(SshTarget target, Request request, Duration timeout) throws IOException {
        synchronized (this) {
            calls.add(target.name());
        }
        Answer answer = answers.get(target.name());
        if (answer == null) {
            throw new IOException("no answer set for " + target.name());
        }
        return answer.answer(target, request, timeout);
    }
}
