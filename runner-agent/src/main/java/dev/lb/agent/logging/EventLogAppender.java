package dev.lb.agent.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.lb.agent.stream.Emitter;
import dev.lb.protocol.EventLevel;
import dev.lb.protocol.EventStatus;
import dev.lb.protocol.EventType;
import dev.lb.protocol.Json;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/**
 * Sends the agent's own log records into the event stream as {@code type=log} events from {@code src=agent}, so
 * what the agent says about itself (a workload that ignored TERM, an unreadable k6 summary) reaches the dashboard.
 * On by default; {@code LB_ENABLE_EVENT_LOGGING} set to {@code 0}, {@code false} or {@code no} turns it off.
 */
public final class EventLogAppender extends AppenderBase<ILoggingEvent> {
    public static final String ENV = "LB_ENABLE_EVENT_LOGGING";
    private static final ThreadLocal<Boolean> IN_APPEND = ThreadLocal.withInitial(() -> false);

    private final Emitter emitter;

    private EventLogAppender(Emitter emitter) {
        this.emitter = emitter;
    }

    /** The switch as documented: only an explicit 0/false/no disables it. */
    public static boolean enabled(String envValue) {
        if (envValue == null) {
            return true;
        }
        String v = envValue.trim().toLowerCase(Locale.ROOT);
        return !(v.equals("0") || v.equals("false") || v.equals("no"));
    }

    /** Attaches the appender to the root logger when enabled; returns whether it did. */
    public static boolean install(Emitter emitter, String envValue) {
        if (!enabled(envValue)) {
            return false;
        }
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        EventLogAppender appender = new EventLogAppender(emitter);
        appender.setContext(ctx);
        appender.setName("lb-events");
        appender.start();
        ctx.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
        return true;
    }

    @Override
    protected void append(ILoggingEvent record) {
        if (IN_APPEND.get() || emitter.isSealed()) {
            return; // a record logged while emitting one would recurse; after the final event nothing may follow
        }
        IN_APPEND.set(true);
        try {
            String text = record.getLoggerName().substring(record.getLoggerName().lastIndexOf('.') + 1) + ": "
                    + record.getFormattedMessage();
            emitter.emit("agent", EventStatus.RUNNING, b -> b.type(EventType.LOG).level(level(record.getLevel()))
                    .message(text).extra("stream", Json.MAPPER.getNodeFactory().textNode("agent-log")));
        } finally {
            IN_APPEND.set(false);
        }
    }

    private static EventLevel level(Level level) {
        if (level.isGreaterOrEqual(Level.ERROR)) {
            return EventLevel.ERROR;
        }
        if (level.isGreaterOrEqual(Level.WARN)) {
            return EventLevel.WARNING;
        }
        return level.isGreaterOrEqual(Level.INFO) ? EventLevel.INFO : EventLevel.DEBUG;
    }
}
