package dev.ffdispatch.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import dev.ffdispatch.daemon.Daemon;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Configures the one logging backend from the {@code log.*} keys, for the daemon and the other
 * commands. Lines go to stderr; under systemd (JOURNAL_STREAM set) without a timestamp, since
 * journald stamps every line itself.
 */
final class LogSetup {
    /**
     * {@code [job=12 host=w1] } on lines the daemon logs for a job (its MDC keys), nothing on the
     * others: the replace drops the tag when both keys are empty.
     */
    static final String JOB_TAG = "%replace([job=%X{" + Daemon.MDC_JOB + "} host=%X{" + Daemon.MDC_HOST
        + "}] ){'^\\[job= host=\\] $', ''}";

    private LogSetup() {
    }

    /** @param level error, warn, info, debug or trace; @param file an extra log file, or null */
    static void apply(String level, Path file) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        boolean journald = System.getenv("JOURNAL_STREAM") != null;
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(level, Level.INFO));
        context.getLogger("org.apache.sshd").setLevel(Level.WARN);
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setTarget("System.err");
        console.setEncoder(encoder(context, journald ? "%-5level %logger{0}: " + JOB_TAG + "%msg%n"
            : "%d{HH:mm:ss.SSS} %-5level %logger{0}: " + JOB_TAG + "%msg%n"));
        console.start();
        root.addAppender(console);
        if (file != null && !file.toString().isBlank()) {
            FileAppender<ILoggingEvent> appender = new FileAppender<>();
            appender.setContext(context);
            appender.setFile(file.toString());
            appender.setEncoder(encoder(context, "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger{0}: " + JOB_TAG + "%msg%n"));
            appender.start();
            root.addAppender(appender);
        }
    }

    /** Sets one logger's level after {@link #apply}. */
    static void level(String logger, String level) {
        ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(logger).setLevel(Level.toLevel(level, Level.INFO));
    }

    private static PatternLayoutEncoder encoder(LoggerContext context, String pattern) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(pattern);
        encoder.start();
        return encoder;
    }
}
