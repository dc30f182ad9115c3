package dev.lb.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lb.protocol.Event;
import dev.lb.protocol.EventDecoder;
import dev.lb.protocol.EventEncoder;
import dev.lb.protocol.InvalidEventException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads a stream file strictly: every complete line must be one valid LB_EVENT line. */
final class StreamFileReader {
    private StreamFileReader() {
    }

    static List<Event> events(Path file) throws IOException {
        return events(file, false);
    }

    /** With {@code allowPartialLast}, a final line without a newline (an agent killed mid-write) is skipped. */
    static List<Event> events(Path file, boolean allowPartialLast) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        List<Event> events = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            boolean last = i == lines.length - 1;
            if (last) {
                if (!line.isEmpty() && !allowPartialLast) {
                    fail("stream file ends in a partial line: " + line);
                }
                break;
            }
            if (!line.startsWith(EventEncoder.PREFIX)) {
                fail("line " + (i + 1) + " is not an event line: " + line);
            }
            try {
                events.add(EventDecoder.decode(line.substring(EventEncoder.PREFIX.length())));
            } catch (InvalidEventException e) {
                fail("line " + (i + 1) + " is not a valid event (" + e.getMessage() + "): " + line);
            }
        }
        return events;
    }

    /** Seq numbers per src are 1, 2, 3, ... in file order. */
    static void assertSeqGapless(List<Event> events) {
        Map<String, Long> last = new HashMap<>();
        for (Event e : events) {
            long expected = last.getOrDefault(e.src(), 0L) + 1;
            assertEquals(expected, e.seq(), "seq of " + e.src() + " at " + e.payloadJson());
            last.put(e.src(), e.seq());
        }
    }

    static List<String> messages(List<Event> events, String stream) {
        return events.stream().filter(e -> {
            JsonNode s = e.field("stream");
            return s != null && s.asText().equals(stream);
        }).map(Event::message).toList();
    }

    static Event last(List<Event> events) {
        return events.get(events.size() - 1);
    }
}
