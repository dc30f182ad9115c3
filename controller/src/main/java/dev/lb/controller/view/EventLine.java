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
        String what = e.type() == EventType.LOG ? e.level().wireName() : e.status().wireName();
        if (e.type() != EventType.LOG && e.type() != EventType.STATUS) {
            what = e.type().wireName();
        }
        String rep = e.repetition() + (e.totalRepetitions() != null ? "/" + e.totalRepetitions() : "");
        return TIME.format(Instant.ofEpochMilli(millis)) + " " + clean(e.host()) + " " + clean(e.workload()) + " "
                + rep + " " + what + " " + (e.src() == null ? "-" : clean(e.src())) + " "
                + (e.message() == null ? "" : clean(e.message()));
    }

    private static String clean(String s) {
        return TerminalText.sanitize(s);
    }
}
