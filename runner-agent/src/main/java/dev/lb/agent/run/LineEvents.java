package dev.lb.agent.run;

import dev.lb.agent.stream.Emitter;
import dev.lb.protocol.EventLevel;
import dev.lb.protocol.EventStatus;
import dev.lb.protocol.EventType;
import dev.lb.protocol.LineSplitter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Function;

/**
 * Turns the lines of one output (workload stdout, stderr, k6's log) into {@code type=log} events, one per line.
 * A line over the limit is not dropped: its head is sent, marked {@code truncated} with its full length. The last
 * lines are kept for the failure report.
 */
final class LineEvents implements LineSplitter.Sink {
    private static final int TAIL = 20;

    private final Emitter emitter;
    private final String src;
    private final String stream;
    private final Function<String, EventLevel> levelOf;
    private final Deque<String> tail = new ArrayDeque<>(TAIL);
    /** Where the lines are copied for a result parser, or null. */
    private final OutputCopy copy;
    private long lines;

    LineEvents(Emitter emitter, String src, String stream, Function<String, EventLevel> levelOf) {
        this(emitter, src, stream, levelOf, null);
    }

    LineEvents(Emitter emitter, String src, String stream, Function<String, EventLevel> levelOf, OutputCopy copy) {
        this.emitter = emitter;
        this.src = src;
        this.stream = stream;
        this.levelOf = levelOf;
        this.copy = copy;
    }

    @Override
    public void line(String line) {
        emit(line, -1);
    }

    @Override
    public void tooLong(String head, long lengthBytes) {
        emit(head, lengthBytes);
    }

    private void emit(String text, long truncatedFrom) {
        if (copy != null) {
            if (truncatedFrom >= 0) {
                copy.truncated(truncatedFrom);
            } else {
                copy.line(text);
            }
        }
        synchronized (this) {
            lines++;
            if (tail.size() == TAIL) {
                tail.removeFirst();
            }
            tail.addLast(text.length() > 500 ? text.substring(0, 500) + "..." : text);
        }
        emitter.emit(src, EventStatus.RUNNING, b -> {
            b.type(EventType.LOG).level(levelOf.apply(text)).message(text)
                    .extra("stream", dev.lb.protocol.Json.MAPPER.getNodeFactory().textNode(stream));
            if (truncatedFrom >= 0) {
                b.extra("truncated", dev.lb.protocol.Json.MAPPER.getNodeFactory().booleanNode(true));
                b.extra("line_bytes", dev.lb.protocol.Json.MAPPER.getNodeFactory().numberNode(truncatedFrom));
            }
        });
    }

    synchronized List<String> tail() {
        return new ArrayList<>(tail);
    }

    synchronized long lines() {
        return lines;
    }
}
