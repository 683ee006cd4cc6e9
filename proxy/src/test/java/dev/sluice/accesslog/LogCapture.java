package dev.sluice.accesslog;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** The access log's own log lines (warnings about drops and failing sinks), kept for a test to read. */
final class LogCapture implements AutoCloseable {

    private final Logger logger = (Logger) LoggerFactory.getLogger(AccessLog.class);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Level level = logger.getLevel();

    LogCapture() {
        logger.setLevel(Level.INFO);
        appender.start();
        logger.addAppender(appender);
        logger.setAdditive(false); // kept here, not printed among the test output
    }

    /** Every line so far, formatted. */
    List<String> lines() {
        synchronized (appender.list) {
            return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        }
    }

    @Override
    public void close() {
        logger.setLevel(level);
        logger.setAdditive(true);
        logger.detachAppender(appender);
        appender.stop();
    }
}
