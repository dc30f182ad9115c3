package dev.lb.agent.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lb.protocol.Event;
import dev.lb.protocol.EventDecoder;
import dev.lb.protocol.EventEncoder;
import dev.lb.protocol.EventStatus;
import dev.lb.protocol.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The encoded line is what the limit bounds: fed payloads, read lines, no files. */
class EventLineFitterTest {
    private static final int MAX = 4096;
    private final EventLineFitter fitter = new EventLineFitter(MAX);

    private static ObjectNode payload(String message) {
        return Event.builder("web-1", "wl", 1, EventStatus.RUNNING).runId("r1").src("agent").seq(7).message(message)
                .build().payload();
    }

    /** The line back as an event; fails unless it is one complete, valid LB_EVENT line. */
    private static Event decode(byte[] line) throws Exception {
        String text = new String(line, StandardCharsets.UTF_8);
        assertTrue(text.startsWith(EventEncoder.PREFIX) && text.endsWith("\n") && text.indexOf('\n') == text.length() - 1);
        return EventDecoder.decode(text.substring(EventEncoder.PREFIX.length(), text.length() - 1));
    }

    @Test
    void lineWithinTheLimitIsWrittenAsIs() throws Exception {
        ObjectNode p = payload("hello \u0001 world");
        assertArrayEquals((EventEncoder.PREFIX + Json.line(p) + "\n").getBytes(StandardCharsets.UTF_8), fitter.line(p));
    }

    @Test
    void controlBytesSixTimesLongerEncodedAreCutToFitAndMarked() throws Exception {
        String message = "\u0001".repeat(3000); // 3,000 bytes raw, 18,000 escaped
        byte[] line = fitter.line(payload(message));
        assertTrue(line.length <= MAX, line.length + " bytes");
        assertTrue(line.length > MAX - 6, "the longest head that fits: " + line.length + " bytes");
        Event e = decode(line);
        assertTrue(message.startsWith(e.message()));
        assertTrue(e.field("truncated").asBoolean());
        assertEquals(3000, e.field("line_bytes").asLong());
        assertEquals(7, e.seq());
    }

    @Test
    void surrogatePairsAndEscapesAreNeverSplit() throws Exception {
        String unit = "\ud83d\ude00\u00e9\u2028\"\\\n\u0085x";
        String message = unit.repeat(2000);
        for (int max = MAX; max < MAX + 40; max++) {
            byte[] line = new EventLineFitter(max).line(payload(message));
            assertTrue(line.length <= max && line.length > max - 12, line.length + " bytes for " + max);
            String cut = decode(line).message();
            assertTrue(message.startsWith(cut));
            assertFalse(Character.isHighSurrogate(cut.charAt(cut.length() - 1)), "no half of a pair at " + max);
        }
    }

    @Test
    void aLengthLineEventsAlreadyRecordedIsKeptWhenLarger() throws Exception {
        ObjectNode p = payload("\u0002".repeat(5000));
        p.put("truncated", true).put("line_bytes", 2_000_000);
        Event e = decode(fitter.line(p));
        assertEquals(2_000_000, e.field("line_bytes").asLong());
        assertTrue(e.field("truncated").asBoolean());
    }

    @Test
    void otherLongStringsAreShortenedWhenAnEmptyMessageIsNotEnough() throws Exception {
        ObjectNode p = payload("exit code 7");
        ObjectNode ctx = p.putObject("error_context").put("rc", 7);
        for (int i = 0; i < 20; i++) {
            ctx.withArray("stderr_tail").add("\u0003".repeat(500));
        }
        p.put("error_type", "nonzero_exit");
        Event e = decode(fitter.line(p));
        assertEquals("exit code 7", e.message(), "the message got the room left");
        assertEquals(20, e.field("error_context").get("stderr_tail").size());
        assertEquals(7, e.field("error_context").get("rc").asInt());
        assertEquals("nonzero_exit", e.errorType());
        assertTrue(e.field("truncated").asBoolean());
    }

    @Test
    void protocolFieldsAloneOverTheLimitAreAnError() {
        ObjectNode p = Event.builder("h".repeat(5000), "wl", 1, EventStatus.RUNNING).src("agent").seq(1).build().payload();
        IOException e = assertThrows(IOException.class, () -> fitter.line(p));
        assertTrue(e.getMessage().contains("cannot be shortened to the event line limit of 4096 bytes"), e.getMessage());
    }

    @Test
    void limitBelowTheMinimumIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new EventLineFitter(4095));
    }
}
