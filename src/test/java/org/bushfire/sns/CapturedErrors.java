package org.bushfire.sns;

import java.util.ArrayList;
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
 * The ERROR lines one class logs while a test runs (the MiniCluster runs its tasks in the test's JVM). It listens
 * on the root logger rather than adding a logger of its own, which would cut that class off from the console.
 */
final class CapturedErrors extends AbstractAppender implements AutoCloseable {
    private final String loggerName;
    private final LoggerContext context;
    private final List<String> messages = new CopyOnWriteArrayList<>();

    private CapturedErrors(Class<?> source) {
        super("captured-errors-" + source.getSimpleName(), null, null, true, Property.EMPTY_ARRAY);
        this.loggerName = source.getName();
        this.context = (LoggerContext) LogManager.getContext(false);
        start();
        root().addAppender(this, Level.ERROR, null);
        context.updateLoggers();
    }

    static CapturedErrors of(Class<?> source) {
        return new CapturedErrors(source);
    }

    private LoggerConfig root() {
        return context.getConfiguration().getRootLogger();
    }

    @Override
    public void append(LogEvent event) {
        if (loggerName.equals(event.getLoggerName())) {
            messages.add(event.getMessage().getFormattedMessage());
        }
    }

    List<String> messages() {
        return new ArrayList<>(messages);
    }

    @Override
    public void close() {
        root().removeAppender(getName());
        context.updateLoggers();
        stop();
    }
}
