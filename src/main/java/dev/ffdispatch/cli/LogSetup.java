package dev.ffdispatch.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.OutputStreamAppender;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;

/**
 * Points logback at stderr or a file, at a level, without any logback.xml. Needed because
 * logback's fallback configuration logs DEBUG to stdout, and stdout belongs to command output
 * ({@code host list --json}). The daemon calls it again with {@code log.level}/{@code log.file}.
 */
public final class LogSetup {
    private static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{0} - %msg%n";

    private LogSetup() {
    }

    /**
     * Replaces the whole logging configuration.
     *
     * @param level       error | warn | info | debug | trace
     * @param fileOrNull  append to this file; null = stderr
     */
    public static void apply(String level, Path fileOrNull) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) {
            return; // another slf4j backend is bound: it has its own configuration
        }
        ctx.reset();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(ctx);
        encoder.setPattern(PATTERN);
        encoder.start();
        OutputStreamAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender;
        if (fileOrNull == null) {
            ConsoleAppender<ch.qos.logback.classic.spi.ILoggingEvent> console = new ConsoleAppender<>();
            console.setTarget("System.err");
            appender = console;
        } else {
            FileAppender<ch.qos.logback.classic.spi.ILoggingEvent> file = new FileAppender<>();
            file.setFile(fileOrNull.toString());
            file.setAppend(true);
            appender = file;
        }
        appender.setContext(ctx);
        appender.setName("ffdispatch");
        appender.setEncoder(encoder);
        appender.start();
        Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(level, Level.INFO));
        root.addAppender(appender);
    }
}
