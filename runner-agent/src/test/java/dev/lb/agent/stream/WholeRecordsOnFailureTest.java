package dev.lb.agent.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lb.protocol.EventLevel;
import dev.lb.protocol.EventStatus;
import dev.lb.protocol.EventType;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A stream file on a disk that fills up at any byte holds only whole events, and the writer knows how many: each
 * test writes the same events through the real {@link Emitter} and {@link EventStream} onto a {@link FullDiskFile}
 * and checks the file against the lines a roomy disk got.
 */
class WholeRecordsOnFailureTest {
    private static final Path FILE = Path.of("/target/run/lb_events.stream.log");
    private static final int EVENTS = 25;
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-05-01T10:00:00Z"), ZoneOffset.UTC);

    /** Messages of varied length, with multi-byte and escaped characters, so failures fall everywhere in a line. */
    private static String message(int i) {
        return "line " + i + " " + "é\u0001\"x".repeat(i * 7 % 40);
    }

    private static Emitter emitter(RecordFile file) throws Exception {
        EventStream stream = EventStream.open(file, FILE, EventStream.DEFAULT_MAX_EVENT_BYTES);
        return new Emitter(stream, new Emitter.Context("r1", "web-1", "wl", 1, 1), CLOCK);
    }

    /** Emits the events; returns how many the emitter said were written. */
    private static int emitAll(Emitter emitter) {
        int written = 0;
        for (int i = 1; i <= EVENTS; i++) {
            String text = message(i);
            if (emitter.emit("agent", EventStatus.RUNNING, b -> b.type(EventType.LOG).level(EventLevel.INFO)
                    .message(text))) {
                written++;
            }
        }
        return written;
    }

    /** The lines the events make on a disk with room for all of them. */
    private static List<byte[]> roomyLines() throws Exception {
        FullDiskFile roomy = FullDiskFile.withRoomFor(Long.MAX_VALUE);
        assertEquals(EVENTS, emitAll(emitter(roomy)));
        String text = new String(roomy.content(), StandardCharsets.UTF_8);
        List<byte[]> lines = new ArrayList<>();
        for (String l : text.split("(?<=\n)")) {
            lines.add(l.getBytes(StandardCharsets.UTF_8));
        }
        assertEquals(EVENTS, lines.size());
        return lines;
    }

    private static byte[] concat(List<byte[]> lines, int n) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        lines.subList(0, n).forEach(out::writeBytes);
        return out.toByteArray();
    }

    @Test
    void aDiskFullAtEveryByteLeavesOnlyWholeEventsAndCountsThem() throws Exception {
        List<byte[]> lines = roomyLines();
        long total = concat(lines, EVENTS).length;
        for (long capacity = 0; capacity <= total; capacity++) {
            int fit = 0;
            long fitBytes = 0;
            while (fit < EVENTS && fitBytes + lines.get(fit).length <= capacity) {
                fitBytes += lines.get(fit++).length;
            }
            FullDiskFile disk = FullDiskFile.withRoomFor(capacity);
            Emitter emitter = emitter(disk);
            int written = emitAll(emitter);
            String at = "disk of " + capacity + " bytes";
            assertEquals(fit, written, at);
            assertArrayEquals(concat(lines, fit), disk.content(), at + ": the file is the first " + fit + " lines");
            StreamWriteFailure f = emitter.streamFailure();
            if (fit == EVENTS) {
                assertNull(f, at);
                continue;
            }
            assertNotNull(f, at);
            assertEquals(fit, f.eventsWritten(), at);
            assertEquals(fitBytes, f.bytesWritten(), at);
            assertEquals(FullDiskFile.ENOSPC, f.osMessage(), at);
            assertTrue(f.diskFull(), at);
            assertNull(f.truncateError(), at);
            assertEquals(EVENTS - fit, emitter.failedWrites(), at + ": every event not written is counted");
            // The final event cannot be written; the seal it returns describes what the file holds.
            ObjectNode seal = emitter.emitFinal("agent", EventStatus.FAILED, b -> b.message("end"));
            assertEquals(fit == 0 ? "{}" : "{\"agent\":{\"last_seq\":" + fit + ",\"count\":" + fit + "}}",
                    seal.toString(), at);
            assertArrayEquals(concat(lines, fit), disk.content(), at + ": nothing follows the failure");
            assertInstanceOf(StreamStoppedException.class, emitter.failure(), at);
        }
    }

    @Test
    void aLaterSmallerEventIsNotWrittenAfterAFailureEvenWhenItWouldFit() throws Exception {
        List<byte[]> lines = roomyLines();
        // Room for two lines and half of the third: a short event would fit in what is left, but must not go in.
        FullDiskFile disk = FullDiskFile.withRoomFor(lines.get(0).length + lines.get(1).length + lines.get(2).length / 2);
        Emitter emitter = emitter(disk);
        emitAll(emitter);
        assertFalse(emitter.emit("agent", EventStatus.RUNNING, b -> b.message("x")));
        assertArrayEquals(concat(lines, 2), disk.content());
        assertEquals(2, emitter.streamFailure().eventsWritten());
    }

    @Test
    void anEioWithoutAShortWriteStopsTheStreamAndIsNotCalledDiskFull() throws Exception {
        List<byte[]> lines = roomyLines();
        FullDiskFile disk = FullDiskFile.withRoomFor(Long.MAX_VALUE).eioAfterWrites(7);
        Emitter emitter = emitter(disk);
        assertEquals(7, emitAll(emitter));
        assertArrayEquals(concat(lines, 7), disk.content());
        StreamWriteFailure f = emitter.streamFailure();
        assertEquals(FullDiskFile.EIO, f.osMessage());
        assertFalse(f.diskFull());
        assertTrue(f.describe().contains("Input/output error") && f.describe().contains("after 7 events written whole"),
                f.describe());
    }

    @Test
    void aCutBackThatFailsTooIsReportedWithThePartialLineItLeft() throws Exception {
        List<byte[]> lines = roomyLines();
        long capacity = lines.get(0).length + 10;
        FullDiskFile disk = FullDiskFile.withRoomFor(capacity).failingTruncate();
        Emitter emitter = emitter(disk);
        assertEquals(1, emitAll(emitter));
        StreamWriteFailure f = emitter.streamFailure();
        assertEquals(1, f.eventsWritten());
        assertEquals(lines.get(0).length, f.bytesWritten());
        assertEquals(FullDiskFile.EIO, f.truncateError());
        assertTrue(f.describe().contains("may end in a partial line"), f.describe());
        assertEquals(capacity, disk.content().length, "the partial line is still there: said, not hidden");
        assertEquals(true, f.toJson().path("disk_full").asBoolean());
    }

    @Test
    void aFileEndingInAKilledWritersPartialLineGetsItsNewlineOrIsCutBackToItsLastWholeLine() throws Exception {
        byte[] whole = roomyLines().get(0);
        byte[] partial = "LB_EVENT {\"host\":\"web-1\",\"wor".getBytes(StandardCharsets.UTF_8);
        byte[] before = concat(List.of(whole, partial), 2);
        // Room for what is there only: even the newline that would end the torn line cannot be written, so the
        // file is cut back to its last whole line (the torn one was unreadable anyway; no poll has read past it).
        FullDiskFile full = new FullDiskFile(before, before.length);
        StreamStoppedException e = org.junit.jupiter.api.Assertions.assertThrows(StreamStoppedException.class,
                () -> EventStream.open(full, FILE, EventStream.DEFAULT_MAX_EVENT_BYTES));
        assertEquals(0, e.failure().eventsWritten());
        assertEquals(whole.length, e.failure().bytesWritten());
        assertArrayEquals(whole, full.content());
        // Room for the newline and one event: the event starts on a line of its own, and is counted alone.
        List<byte[]> lines = roomyLines();
        FullDiskFile roomForOne = new FullDiskFile(partial, partial.length + 1 + lines.get(0).length + 5);
        Emitter emitter = emitter(roomForOne);
        assertEquals(1, emitAll(emitter));
        byte[] expected = concat(List.of(partial, new byte[] {'\n'}, lines.get(0)), 3);
        assertArrayEquals(expected, roomForOne.content());
        assertEquals(1, emitter.streamFailure().eventsWritten());
        assertEquals(expected.length, emitter.streamFailure().bytesWritten());
        assertTrue(Arrays.equals(expected, roomForOne.content()));
    }
}
