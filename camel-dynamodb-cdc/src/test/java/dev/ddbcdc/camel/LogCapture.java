package dev.ddbcdc.camel;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/**
 * Collects what the component logs (logger {@code dev.ddbcdc}, declared in log4j2-test.xml) at DEBUG and above while
 * open, as "level logger message" lines; closing restores the logger's level.
 */
final class LogCapture extends AbstractAppender implements AutoCloseable {

    final List<String> lines = new CopyOnWriteArrayList<>();
    private final LoggerContext logging = (LoggerContext) LogManager.getContext(false);
    private final LoggerConfig logger = logging.getConfiguration().getLoggerConfig("dev.ddbcdc");
    private final Level level = logger.getLevel();

    LogCapture() {
        super("fault-capture", null, null, true, Property.EMPTY_ARRAY);
        start();
        logger.addAppender(this, Level.DEBUG, null);
        logger.setLevel(Level.DEBUG);
        logging.updateLoggers();
    }

    @Override
    public void append(LogEvent event) {
        lines.add(event.getLevel() + " " + event.getLoggerName() + " [" + event.getThreadName() + "] "
                  + event.getMessage().getFormattedMessage());
    }

    long count(String loggerSuffix, String text) {
        return lines.stream().filter(l -> l.contains(loggerSuffix + " ") && l.contains(text)).count();
    }

    /**
     * As {@link #count(String, String)}, leaving out what threads of other Camel contexts logged (a consumer of an
     * earlier test in this JVM still shutting down): threads named {@code Camel (<name>) ...} count only for
     * {@code camelContextName}; other threads (the test's own) always count.
     */
    long countOf(String camelContextName, String loggerSuffix, String text) {
        String ours = "[Camel (" + camelContextName + ")";
        return lines.stream().filter(l -> l.contains(loggerSuffix + " ") && l.contains(text))
                .filter(l -> !l.contains("[Camel (") || l.contains(ours)).count();
    }

    @Override
    public void close() {
        logger.removeAppender(getName());
        logger.setLevel(level);
        logging.updateLoggers();
        stop();
    }
}
