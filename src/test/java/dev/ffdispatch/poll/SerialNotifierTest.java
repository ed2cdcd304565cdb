package dev.ffdispatch.poll;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SerialNotifierTest {

    @Test
    void deliversInOrderAndSurvivesAFailingListener() {
        SerialNotifier notifier = new SerialNotifier();
        List<String> seen = new ArrayList<>();
        notifier.enqueue(() -> seen.add("one"));
        notifier.enqueue(() -> {
            throw new IllegalStateException("listener bug");
        });
        notifier.enqueue(() -> seen.add("three"));
        notifier.drain();
        assertEquals(List.of("one", "three"), seen);
    }

    @Test
    void anEventQueuedByAListenerComesAfterTheCurrentOneNotInsideIt() {
        SerialNotifier notifier = new SerialNotifier();
        List<String> seen = new ArrayList<>();
        notifier.enqueue(() -> {
            notifier.enqueue(() -> seen.add("inner"));
            notifier.drain(); // re-entrant: must return at once
            seen.add("outer done");
        });
        notifier.drain();
        assertEquals(List.of("outer done", "inner"), seen);
    }
}
