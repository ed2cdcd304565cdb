package dev.ffdispatch.posix;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads for ffdispatch's own work: named, so a thread dump or a log line says whose they are,
 * and daemon threads, so none of them keeps a stopping JVM alive (the owners stop their work
 * themselves, in order).
 */
public final class NamedThreads {

    private NamedThreads() {
    }

    /** A factory of threads called {@code prefix-1}, {@code prefix-2}, ... */
    public static ThreadFactory factory(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return body -> create(prefix + "-" + n.incrementAndGet(), body);
    }

    /** One thread called {@code name}, not yet started. */
    public static Thread create(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        return thread;
    }

    /** One thread called {@code name}, started. */
    public static Thread start(String name, Runnable body) {
        Thread thread = create(name, body);
        thread.start();
        return thread;
    }
}
