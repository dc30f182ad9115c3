package dev.lb.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lb.protocol.Json;
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
import java.util.TreeMap;

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

    /** The seal these events call for: per src, in name order, the highest seq and the number of events. */
    static ObjectNode sealOf(List<Event> events) {
        Map<String, long[]> bySrc = new TreeMap<>();
        for (Event e : events) {
            long[] c = bySrc.computeIfAbsent(e.src(), s -> new long[2]);
            c[0] = Math.max(c[0], e.seq());
            c[1]++;
        }
        ObjectNode seal = Json.MAPPER.createObjectNode();
        bySrc.forEach((src, c) -> seal.putObject(src).put("last_seq", Math.toIntExact(c[0]))
                .put("count", Math.toIntExact(c[1])));
        return seal;
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
