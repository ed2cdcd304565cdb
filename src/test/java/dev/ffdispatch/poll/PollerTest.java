package dev.ffdispatch.poll;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ffdispatch.TestTimeouts;
import dev.ffdispatch.ssh.HostKeyRejectedException;
import dev.ffdispatch.ssh.SshTarget;
import dev.ffdispatch.ssh.SshTimeoutException;
import dev.ffdispatch.ssh.WorkerCommands;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The poller against a fake runner, a clock moved by hand, and probes run inline (or held in a
 * queue, or on real threads for the slow-host case). No sleeps: time passes by advance().
 */
class PollerTest {
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private static final PollSettings SETTINGS = new PollSettings(Duration.ofSeconds(3), Duration.ofSeconds(5),
            Duration.ofSeconds(60));
    private static final PolledHost A = host(1, "a");
    private static final PolledHost B = host(2, "b");

    private final MutableClock clock = new MutableClock(T0);
    private final FakeRunner runner = new FakeRunner();
    private final RecordingListener listener = new RecordingListener();
    private final ManualScheduler ticker = new ManualScheduler();
    private final List<Poller> pollers = new ArrayList<>();

    @AfterEach
    void closePollers() {
        pollers.forEach(Poller::close);
    }

    @Test
    void aGoodProbeBringsANewHostUpAndReportsTheCount() {
        Poller poller = pollingA(FakeRunner.prints("3\n"));

        HostHealth health = poller.health(1);
        assertEquals(HostState.UP, health.state());
        assertEquals(3, health.ffmpegCount());
        assertEquals(Duration.ofMillis(12), health.lastLatency());
        assertEquals(T0, health.lastPolled());
        assertEquals(T0.plus(SETTINGS.interval()), health.nextProbeAt());
        assertEquals(List.of("a UNKNOWN->UP"), listener.transitions);
        assertEquals(List.of("a polled 3"), List.copyOf(listener.polls));
        assertNull(poller.health(99));
    }

    @Test
    void aHostIsUnknownUntilItsFirstProbeReturns() {
        runner.answer("a", FakeRunner.prints("0\n"));
        ManualExecutor probes = new ManualExecutor();
        Poller poller = poller(probes);
        poller.setHosts(List.of(A));
        assertEquals(HostState.UNKNOWN, poller.health(1).state());
        assertEquals(-1, poller.health(1).ffmpegCount());
        probes.runAll();
        assertEquals(HostState.UP, poller.health(1).state());
    }

    @Test
    void healthyHostsAreProbedEveryIntervalWithTheCountCommand() {
        runner.answer("a", (target, request, timeout) -> {
            assertEquals(WorkerCommands.Request.count(), request);
            assertEquals(SETTINGS.timeout(), timeout);
            return FakeRunner.result("1\n", Duration.ofMillis(5));
        });
        Poller poller = poller(Runnable::run);
        poller.setHosts(List.of(A));
        clock.advance(SETTINGS.interval().minusMillis(1));
        poller.tick();
        assertEquals(1, runner.calls("a"));
        clock.advance(Duration.ofMillis(1));
        poller.tick();
        poller.tick();
        assertEquals(2, runner.calls("a"));
    }

    @Test
    void anIoFailureMarksTheHostDownWithItsReason() {
        Poller poller = pollingA(FakeRunner.throwing(new IOException("connect to 10.0.0.5:22 timed out")));

        HostHealth health = poller.health(1);
        assertEquals(HostState.DOWN, health.state());
        assertTrue(health.reason().contains("connect to 10.0.0.5:22 timed out"), health.reason());
        assertEquals(health.reason(), health.lastError());
        assertEquals(1, health.failures());
        assertEquals(List.of("a UNKNOWN->DOWN"), listener.transitions);
        assertEquals(health.reason(), listener.reasons.get(0));
    }

    @Test
    void aFailingHostIsReprobedWithCappedBackoffAndComesBackByItself() {
        Poller poller = pollingA(FakeRunner.throwing(new IOException("Connection refused")));

        List<Long> waits = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            waits.add(secondsUntilNextProbe(poller, 1, "a"));
        }
        assertEquals(List.of(3L, 6L, 12L, 24L, 48L, 60L, 60L), waits);

        runner.answer("a", FakeRunner.prints("2\n"));
        assertEquals(60L, secondsUntilNextProbe(poller, 1, "a"));
        assertEquals(HostState.UP, poller.health(1).state());
        assertEquals(0, poller.health(1).failures());
        assertEquals(3L, secondsUntilNextProbe(poller, 1, "a"), "healthy again: back to the interval");
        assertEquals(List.of("a UNKNOWN->DOWN", "a DOWN->UP"), listener.transitions);
    }

    @Test
    void aRejectedHostKeyMakesTheHostUntrustedUntilTheKeyIsPinned() {
        Poller poller = pollingA(FakeRunner.throwing(new HostKeyRejectedException("key SHA256:abc not pinned")));
        assertEquals(HostState.UNTRUSTED, poller.health(1).state());
        assertTrue(poller.health(1).reason().contains("ffdispatch host trust a"), poller.health(1).reason());
        assertEquals(3L, secondsUntilNextProbe(poller, 1, "a"));
        assertEquals(6L, secondsUntilNextProbe(poller, 1, "a"), "same back-off as DOWN");

        runner.answer("a", FakeRunner.prints("0\n")); // the admin pinned the key
        poller.pollNow(1);
        assertEquals(HostState.UP, poller.health(1).state());
        assertEquals(List.of("a UNKNOWN->UNTRUSTED", "a UNTRUSTED->UP"), listener.transitions);
    }

    @Test
    void aSlowHostDoesNotDelayTheOthers() throws Exception {
        CountDownLatch releaseA = new CountDownLatch(1);
        runner.answer("a", (target, request, timeout) -> {
            try {
                releaseA.await(TestTimeouts.SHORT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return FakeRunner.result("1\n", Duration.ofMillis(40));
        });
        runner.answer("b", FakeRunner.prints("0\n"));
        ExecutorService pool = Executors.newCachedThreadPool();
        try {
            Poller poller = poller(pool);
            poller.setHosts(List.of(A, B));
            assertEquals("b polled 0", listener.nextPoll(TestTimeouts.SHORT));

            clock.advance(SETTINGS.interval());
            poller.tick();
            assertEquals("b polled 0", listener.nextPoll(TestTimeouts.SHORT), "b on time while a hangs");
            assertEquals(1, runner.calls("a"), "a's probe is in flight: skipped, not stacked");
            assertEquals(HostState.UNKNOWN, poller.health(1).state());

            releaseA.countDown();
            assertEquals("a polled 1", listener.nextPoll(TestTimeouts.SHORT));
            assertEquals(HostState.UP, poller.health(1).state());
        } finally {
            releaseA.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void aProbeWithoutAnswerInTimeMarksAnAnsweringHostDownAtOnce() {
        // Probes are a round trip on an open link now: no login shell per probe to be slow, so
        // one timeout is not forgiven (issue 11 removed the "one slow probe is retried" rule).
        Poller poller = pollingA(FakeRunner.prints("0\n"));
        runner.answer("a", (target, request, timeout) -> {
            throw new SshTimeoutException("no answer to count within 5 s", null);
        });
        clock.advance(SETTINGS.interval());
        poller.tick();
        assertEquals(HostState.DOWN, poller.health(1).state());
        assertEquals("no answer to count within 5 s", poller.health(1).reason());
        assertEquals(List.of("a UNKNOWN->UP", "a UP->DOWN"), listener.transitions);
    }

    @Test
    void aWokenHostIsProbedEveryIntervalUntilItAnswersOrTheWindowPasses() {
        Poller poller = pollingA(FakeRunner.throwing(new IOException("No route to host")));
        assertEquals(HostState.DOWN, poller.health(1).state());
        poller.waking(1, Duration.ofSeconds(20), "packet sent");
        assertEquals(HostState.WAKING, poller.health(1).state());
        assertEquals("packet sent", poller.health(1).reason());
        for (int i = 0; i < 3; i++) { // no back-off while waking: every interval
            clock.advance(SETTINGS.interval());
            poller.tick();
            assertEquals(HostState.WAKING, poller.health(1).state());
            assertEquals(clock.instant().plus(SETTINGS.interval()), poller.health(1).nextProbeAt());
        }
        runner.answer("a", FakeRunner.prints("0\n"));
        clock.advance(SETTINGS.interval());
        poller.tick();
        assertEquals(HostState.UP, poller.health(1).state());

        runner.answer("a", FakeRunner.throwing(new IOException("No route to host")));
        clock.advance(SETTINGS.interval());
        poller.tick();
        poller.waking(1, Duration.ofSeconds(5), "packet sent again");
        clock.advance(Duration.ofSeconds(6));
        poller.tick();
        assertEquals(HostState.DOWN, poller.health(1).state());
        assertTrue(poller.health(1).reason().startsWith("no answer within 6 s of the Wake-on-LAN packet"),
                poller.health(1).reason());
        poller.waking(99, Duration.ofSeconds(5), "unknown host: ignored");
        assertEquals(List.of("a UNKNOWN->DOWN", "a DOWN->WAKING", "a WAKING->UP", "a UP->DOWN", "a DOWN->WAKING",
                "a WAKING->DOWN"), listener.transitions);
    }

    @Test
    void aWorkerThatAnswersWithAnErrorIsDownWithItsWords() {
        Poller poller = pollingA(FakeRunner.throwing(new dev.ffdispatch.ssh.WorkerAnswerException(
            "pgrep not found on the worker")));
        assertEquals(HostState.DOWN, poller.health(1).state());
        assertEquals("pgrep not found on the worker", poller.health(1).reason());
    }

    @Test
    void aProbeWaitingForItsLinkToStartIsGivenTheStartAllowance() {
        runner.startAllowance(Duration.ofSeconds(20));
        runner.answer("a", FakeRunner.prints("0\n"));
        ManualExecutor probes = new ManualExecutor();
        Poller poller = poller(probes);
        poller.setHosts(List.of(A));
        clock.advance(SETTINGS.timeout().plus(Duration.ofSeconds(20)).plus(Poller.OVERDUE_GRACE).minusMillis(1));
        poller.tick();
        assertEquals(HostState.UNKNOWN, poller.health(1).state(), "a login shell may still be starting the link");
        clock.advance(Duration.ofMillis(1));
        poller.tick();
        assertEquals(HostState.DOWN, poller.health(1).state());
    }

    @Test
    void aRefusedConnectionIsNotForgiven() {
        Poller poller = pollingA(FakeRunner.prints("0\n"));
        runner.answer("a", FakeRunner.throwing(new IOException("Connection refused")));
        clock.advance(SETTINGS.interval());
        poller.tick();
        assertEquals(HostState.DOWN, poller.health(1).state());
    }

    @Test
    void aProbeThatNeverReturnsIsWrittenOffAndItsLateAnswerIgnored() {
        runner.answer("a", FakeRunner.prints("0\n"));
        ManualExecutor probes = new ManualExecutor();
        Poller poller = poller(probes);
        poller.setHosts(List.of(A));

        clock.advance(SETTINGS.timeout().plus(Poller.OVERDUE_GRACE).minusMillis(1));
        poller.tick();
        assertEquals(HostState.UNKNOWN, poller.health(1).state());
        clock.advance(Duration.ofMillis(1));
        poller.tick();
        assertEquals(HostState.DOWN, poller.health(1).state());
        assertEquals("probe did not return within 6 s", poller.health(1).reason());
        assertEquals(1, probes.size(), "no second probe stacked on the stuck one");

        probes.runAll(); // the stuck probe finally answers "fine": too late to count
        assertEquals(HostState.DOWN, poller.health(1).state());
        clock.advance(SETTINGS.interval());
        poller.tick();
        probes.runAll();
        assertEquals(HostState.UP, poller.health(1).state());
        assertEquals(List.of("a UNKNOWN->DOWN", "a DOWN->UP"), listener.transitions);
    }

    @Test
    void reportFailureMarksDownAtOnceAndOutranksAProbeInFlight() {
        runner.answer("a", FakeRunner.prints("1\n"));
        ManualExecutor probes = new ManualExecutor();
        Poller poller = poller(probes);
        poller.setHosts(List.of(A));
        probes.runAll();
        clock.advance(SETTINGS.interval());
        poller.tick(); // a probe is in flight...

        poller.reportFailure(1, "exec on a failed: Connection reset");
        HostHealth health = poller.health(1);
        assertEquals(HostState.DOWN, health.state());
        assertEquals("exec on a failed: Connection reset", health.reason());
        assertEquals(clock.instant().plus(SETTINGS.interval()), health.nextProbeAt());

        probes.runAll(); // ...and its good answer predates the failure
        assertEquals(HostState.DOWN, poller.health(1).state());
        poller.reportFailure(99, "unknown host: ignored");
        assertEquals(List.of("a UNKNOWN->UP", "a UP->DOWN"), listener.transitions);
    }

    @Test
    void theListenerSeesEveryTransitionExactlyOnce() {
        Poller poller = poller(Runnable::run);
        runner.answer("a", FakeRunner.prints("0\n"));
        poller.setHosts(List.of(A));
        runner.answer("a", FakeRunner.throwing(new IOException("No route to host")));
        secondsUntilNextProbe(poller, 1, "a");
        secondsUntilNextProbe(poller, 1, "a"); // still down: no event
        poller.reportFailure(1, "exec failed"); // still down: no event
        runner.answer("a", FakeRunner.prints("0\n"));
        secondsUntilNextProbe(poller, 1, "a");
        secondsUntilNextProbe(poller, 1, "a"); // still up: no event
        runner.answer("a", FakeRunner.throwing(new HostKeyRejectedException("changed")));
        secondsUntilNextProbe(poller, 1, "a");
        poller.reportFailure(1, "exec failed: host key"); // stays untrusted
        runner.answer("a", FakeRunner.prints("0\n"));
        secondsUntilNextProbe(poller, 1, "a");

        assertEquals(List.of("a UNKNOWN->UP", "a UP->DOWN", "a DOWN->UP", "a UP->UNTRUSTED", "a UNTRUSTED->UP"),
                listener.transitions);
    }

    @Test
    void garbageOutputMarksTheHostDownWithAClearReason() {
        Poller poller = pollingA(FakeRunner.prints("Last login: Mon Jan 1\n2\n"));
        HostHealth health = poller.health(1);
        assertEquals(HostState.DOWN, health.state());
        assertTrue(health.reason().contains("\"Last login: Mon Jan 1\\x0a2\" instead of a number"),
                health.reason());
    }

    @Test
    void aRunnerBugIsAFailureNotAStuckHost() {
        runner.answer("a", (target, request, timeout) -> {
            throw new IllegalStateException("runner bug");
        });
        Poller poller = poller(Runnable::run);
        poller.setHosts(List.of(A));
        assertEquals(HostState.DOWN, poller.health(1).state());
        assertTrue(poller.health(1).reason().contains("runner bug"));
        runner.answer("a", FakeRunner.prints("0\n"));
        assertEquals(3L, secondsUntilNextProbe(poller, 1, "a"));
        assertEquals(HostState.UP, poller.health(1).state());
    }

    @Test
    void pollNowProbesAtOnceOrRightAfterTheRunningProbe() {
        runner.answer("a", FakeRunner.throwing(new IOException("down")));
        ManualExecutor probes = new ManualExecutor();
        Poller poller = poller(probes);
        poller.setHosts(List.of(A));
        poller.pollNow(1); // in flight already: remembered
        probes.runAll();
        assertEquals(clock.instant(), poller.health(1).nextProbeAt());
        runner.answer("a", FakeRunner.prints("0\n"));
        poller.tick();
        probes.runAll();
        assertEquals(HostState.UP, poller.health(1).state());
        assertEquals(2, runner.calls("a"));
    }

    @Test
    void drainedHostsAreProbedButNotUp() {
        Poller poller = pollingA(FakeRunner.prints("2\n"));
        poller.setDrained(1, true);
        assertEquals(HostState.DRAINED, poller.health(1).state());
        secondsUntilNextProbe(poller, 1, "a");
        assertEquals(HostState.DRAINED, poller.health(1).state(), "a good probe keeps it drained");
        assertEquals(2, listener.polls.size(), "still polled: its load stays known");
        poller.setDrained(1, false);
        assertEquals(List.of("a UNKNOWN->UP", "a UP->DRAINED", "a DRAINED->UP"), listener.transitions);
    }

    @Test
    void setHostsProbesNewAndChangedHostsAtOnceAndForgetsRemovedOnes() {
        runner.answer("a", FakeRunner.prints("0\n"));
        runner.answer("b", FakeRunner.prints("0\n"));
        ManualExecutor probes = new ManualExecutor();
        Poller poller = poller(probes);
        poller.setHosts(List.of(A));
        probes.runAll();
        poller.setHosts(List.of(A, B));
        assertEquals(1, probes.size(), "b probed at once, a not again");
        probes.runAll();

        PolledHost movedA = new PolledHost(1, new SshTarget("a", "10.0.0.9", 22, "ffmpeg"));
        poller.setHosts(List.of(movedA));
        assertEquals(1, probes.size(), "a's target changed: probed at once");
        assertNull(poller.health(2), "b is forgotten");
        assertEquals(HostState.UP, poller.health(1).state(), "a is kept, with its state");
        probes.runAll();
        assertEquals(List.of("a UNKNOWN->UP", "b UNKNOWN->UP"), listener.transitions);
    }

    @Test
    void startTicksOnTheTickerAndCloseStopsIt() {
        runner.answer("a", FakeRunner.prints("0\n"));
        Poller poller = poller(Runnable::run);
        poller.start(listener);
        assertEquals(1, ticker.periodic.size());
        assertEquals(Poller.TICK.toMillis(), ticker.periodic.get(0).periodMillis);
        poller.setHosts(List.of(A));
        clock.advance(SETTINGS.interval());
        ticker.runPeriodic();
        assertEquals(2, runner.calls("a"));

        poller.close();
        assertTrue(ticker.periodic.get(0).isCancelled());
        clock.advance(SETTINGS.interval());
        poller.tick();
        assertEquals(2, runner.calls("a"));
    }

    @Test
    void nothingIsProbedBeforeStartAndHostsSetBeforeAreProbedOnce() {
        runner.answer("a", FakeRunner.prints("0\n"));
        Poller poller = new Poller(runner, SETTINGS, clock, ticker, Runnable::run);
        pollers.add(poller);
        poller.setHosts(List.of(A));
        poller.tick();
        assertEquals(0, runner.calls("a"), "nobody listens yet");
        poller.start(listener);
        ticker.runPeriodic();
        assertEquals(1, runner.calls("a"));
        assertEquals(List.of("a UNKNOWN->UP"), listener.transitions);
    }

    @Test
    void theTickerSurvivesAnyException() {
        Clock broken = new Clock() {
            @Override
            public Instant instant() {
                throw new IllegalStateException("clock broke");
            }

            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }
        };
        Poller poller = new Poller(runner, SETTINGS, broken, ticker, Runnable::run);
        pollers.add(poller);
        poller.start(listener);
        assertDoesNotThrow(ticker::runPeriodic);
    }

    @Test
    void aThrowingListenerDoesNotStopPolling() {
        runner.answer("a", FakeRunner.prints("0\n"));
        PollListener angry = new PollListener() {
            @Override
            public void stateChanged(PolledHost host, HostState from, HostState to, String reason) {
                throw new IllegalStateException("listener bug");
            }

            @Override
            public void polled(PolledHost host, int ffmpegCount, Duration latency) {
                throw new IllegalStateException("listener bug");
            }
        };
        Poller poller = new Poller(runner, SETTINGS, clock, ticker, Runnable::run);
        pollers.add(poller);
        poller.start(angry);
        poller.setHosts(List.of(A));
        assertEquals(HostState.UP, poller.health(1).state());
        assertEquals(3L, secondsUntilNextProbe(poller, 1, "a"));
    }

    /** Moves the clock to the host's next probe, checks nothing runs a millisecond before it, and probes. */
    private long secondsUntilNextProbe(Poller poller, long id, String name) {
        Instant before = clock.instant();
        Instant due = poller.health(id).nextProbeAt();
        int calls = runner.calls(name);
        clock.set(due.minusMillis(1));
        poller.tick();
        assertEquals(calls, runner.calls(name), "probed early at " + clock.instant());
        clock.set(due);
        poller.tick();
        assertEquals(calls + 1, runner.calls(name), "not probed when due at " + due);
        return Duration.between(before, due).toSeconds();
    }

    /** A poller with host a only, answering {@code answer}, probed inline and once already. */
    private Poller pollingA(FakeRunner.Answer answer) {
        runner.answer("a", answer);
        Poller poller = poller(Runnable::run);
        poller.setHosts(List.of(A));
        return poller;
    }

    /** A started poller: its periodic tick is on the manual ticker, so probes run when a test ticks. */
    private Poller poller(Executor probes) {
        Poller poller = new Poller(runner, SETTINGS, clock, ticker, probes);
        pollers.add(poller);
        poller.start(listener);
        return poller;
    }

    private static PolledHost host(long id, String name) {
        return new PolledHost(id, new SshTarget(name, name + ".lan", 22, "ffmpeg"));
    }
}
