package dev.lb.controller.view;

import dev.lb.protocol.Event;
import dev.lb.protocol.EventType;
import dev.lb.protocol.TerminalText;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** One readable, inert line per event: time, host, workload, rep, status or level, source, message. */
public final class EventLine {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS")
            .withZone(ZoneId.systemDefault());

    private EventLine() {
    }

    public static String format(Event e, long receivedMillis) {
        long millis = e.tsMillis() > 0 ? e.tsMillis() : receivedMillis;
        String rep = e.repetition() + (e.totalRepetitions() != null ? "/" + e.totalRepetitions() : "");
        return TIME.format(Instant.ofEpochMilli(millis)) + " " + clean(e.host()) + " " + clean(e.workload()) + " "
                + rep + " " + what(e) + " " + (e.src() == null ? "-" : clean(e.src())) + " "
                + (e.message() == null ? "" : clean(e.message())) + truncation(e);
    }

    /** The agent cut an over-long line: say so, with the line's real length, so nobody takes the head for all. */
    static String truncation(Event e) {
        var truncated = e.field("truncated");
        if (truncated == null || !truncated.asBoolean(false)) {
            return "";
        }
        var bytes = e.field("line_bytes");
        return " \u2026 [truncated" + (bytes != null && bytes.canConvertToLong()
                ? ": " + String.format(java.util.Locale.ROOT, "%,d", bytes.asLong()) + " bytes" : "") + "]";
    }

    /** The level of a log line, the status of a status event, else the event's type. */
    public static String what(Event e) {
        return e.type() == EventType.LOG ? e.level().wireName()
                : e.type() == EventType.STATUS ? e.status().wireName() : e.type().wireName();
    }

    private static String clean(String s) {
        return TerminalText.sanitize(s);
    }
}
