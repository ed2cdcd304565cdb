package dev.ffdispatch.daemon;

import dev.ffdispatch.metrics.DispatchMetrics;
import dev.ffdispatch.posix.NamedThreads;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * History writes that must neither be lost nor hold each other up, run by one writer thread.
 *
 * <p>A write that fails (the database is locked by another process past its busy timeout, or
 * gone) stays in memory and is retried with capped exponential back-off; writes of other keys go
 * on meanwhile. Writes with the same key run in the order given, so a job's end is written after
 * its start. Nothing here knows the database: writes are closures, so the same queue serves any
 * store (SQLite now, a database server that may be away for a while later).
 *
 * <p>Memory is bounded by {@link #MAX_PENDING} writes; past that a new write is refused with an
 * ERROR line and counted, rather than the daemon running out of heap while the database is away.
 */
final class WriteBehind implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WriteBehind.class);
    /** About 100 MB of job rows at their 2000-character command cap: days of a busy server. */
    static final int MAX_PENDING = 50_000;
    static final Duration FIRST_RETRY = Duration.ofMillis(100);
    static final Duration MAX_RETRY = Duration.ofSeconds(30);
    /** 2^20 x any sane first delay is beyond any cap; keeps the shift from overflowing. */
    private static final int MAX_SHIFT = 20;

    private final String name;
    private final DispatchMetrics metrics;
    private final Duration firstRetry;
    private final Duration maxRetry;
    private final Object lock = new Object();
    /** Keys in the order they are served; a failed key moves to the end so others go first. */
    private final Map<Object, Chain> chains = new LinkedHashMap<>();
    private final Thread thread;
    private int pending;
    private boolean closing;

    private static final class Chain {
        final Deque<Write> writes = new ArrayDeque<>();
        int failures;
        long notBeforeNanos;
    }

    /** One write; {@code what} names it in logs (with enough detail to redo it by hand). */
    record Write(String what, Runnable work) {
    }

    WriteBehind(String name, DispatchMetrics metrics) {
        this(name, metrics, FIRST_RETRY, MAX_RETRY);
    }

    WriteBehind(String name, DispatchMetrics metrics, Duration firstRetry, Duration maxRetry) {
        this.name = name;
        this.metrics = metrics;
        this.firstRetry = firstRetry;
        this.maxRetry = maxRetry;
        metrics.bindLedgerBacklog(this::pending);
        thread = NamedThreads.start(name + "-writer", this::run);
    }

    /** Queues {@code work} behind earlier writes of {@code key}; never blocks, never throws. */
    void submit(Object key, String what, Runnable work) {
        synchronized (lock) {
            if (closing) {
                LOG.error("{}: not written, the daemon is stopping: {}", name, what);
                metrics.ledgerWriteDropped();
                return;
            }
            if (pending >= MAX_PENDING) {
                LOG.error("{}: not written, {} writes already wait for the database: {}", name, pending, what);
                metrics.ledgerWriteDropped();
                return;
            }
            chains.computeIfAbsent(key, k -> new Chain()).writes.add(new Write(what, work));
            pending++;
            lock.notifyAll();
        }
    }

    /** Writes waiting in memory (failed ones included). */
    int pending() {
        synchronized (lock) {
            return pending;
        }
    }

    private void run() {
        while (true) {
            Map.Entry<Object, Chain> next = takeReady();
            if (next == null) {
                return;
            }
            attempt(next.getKey(), next.getValue());
        }
    }

    /** The first key whose back-off is over; waits for one; null once closed and nothing is left. */
    private Map.Entry<Object, Chain> takeReady() {
        synchronized (lock) {
            while (true) {
                if (chains.isEmpty() && closing) {
                    return null;
                }
                long now = System.nanoTime();
                long wait = Long.MAX_VALUE;
                for (Map.Entry<Object, Chain> e : chains.entrySet()) {
                    long left = e.getValue().notBeforeNanos - now;
                    if (left <= 0) {
                        return e;
                    }
                    wait = Math.min(wait, left);
                }
                try {
                    if (wait == Long.MAX_VALUE) {
                        lock.wait();
                    } else {
                        lock.wait(Math.max(1, wait / 1_000_000));
                    }
                } catch (InterruptedException e) {
                    return null; // close() gave up waiting: what is left is logged there
                }
            }
        }
    }

    private void attempt(Object key, Chain chain) {
        Write write;
        synchronized (lock) {
            write = chain.writes.peek();
        }
        try {
            write.work().run();
        } catch (RuntimeException e) {
            failed(key, chain, write, e);
            return;
        }
        synchronized (lock) {
            chain.writes.poll();
            pending--;
            if (chain.failures > 0) {
                LOG.info("{}: written after {} failed attempt(s): {}", name, chain.failures, write.what());
                chain.failures = 0;
            }
            if (chain.writes.isEmpty()) {
                chains.remove(key);
            }
        }
    }

    private void failed(Object key, Chain chain, Write write, RuntimeException e) {
        metrics.ledgerWriteFailed();
        Duration delay;
        int failures;
        synchronized (lock) {
            failures = ++chain.failures;
            delay = delay(failures);
            chain.notBeforeNanos = System.nanoTime() + delay.toNanos();
            chains.remove(key);
            chains.put(key, chain);
        }
        // WARN once per write, not per retry: a database away for an hour must not flood the journal.
        if (failures == 1) {
            LOG.warn("{}: write failed, kept in memory and retried with back-off up to {} s ({} waiting): {}: {}",
                name, maxRetry.toSeconds(), pending(), write.what(), e.getMessage());
        } else {
            LOG.debug("{}: write failed again (attempt {}), next try in {} ms: {}: {}",
                name, failures, delay.toMillis(), write.what(), e.getMessage());
        }
    }

    Duration delay(int failures) {
        Duration d = firstRetry.multipliedBy(1L << Math.min(failures - 1, MAX_SHIFT));
        return d.compareTo(maxRetry) > 0 ? maxRetry : d;
    }

    /**
     * Takes no more writes and waits up to {@code limit} for the queued ones (failed ones keep
     * being retried meanwhile). What is still unwritten then is logged one line each at ERROR,
     * so the rows can be found in the journal.
     */
    void close(Duration limit) {
        synchronized (lock) {
            closing = true;
            lock.notifyAll();
        }
        try {
            thread.join(limit.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread.interrupt();
        synchronized (lock) {
            if (pending > 0) {
                LOG.error("{}: {} write(s) not done after {} s, the database did not take them:", name, pending, limit.toSeconds());
                for (Chain chain : chains.values()) {
                    for (Iterator<Write> it = chain.writes.iterator(); it.hasNext(); ) {
                        LOG.error("{}: lost: {}", name, it.next().what());
                        metrics.ledgerWriteDropped();
                    }
                }
            }
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }
}
