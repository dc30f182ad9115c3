package dev.lb.controller.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lb.controller.listener.DeliveryPath;
import dev.lb.controller.listener.RunListener;
import dev.lb.controller.listener.Sighting;
import dev.lb.controller.state.RunState;
import dev.lb.protocol.Event;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal on a disk that fills up at any byte: always a clean prefix of whole records, with an exact count. */
class JournalTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int EVENTS = 40;

    @TempDir
    Path dir;

    /** The real file, but the disk is full after {@code room} bytes: a write stores what fits, then fails. */
    private static final class FillingFile implements JournalFile {
        private final JournalFile real;
        private long room;
        private final boolean truncateFails;

        FillingFile(Path file, long room, boolean truncateFails) throws IOException {
            this.real = JournalFile.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    StandardOpenOption.READ);
            this.room = room;
            this.truncateFails = truncateFails;
        }

        @Override
        public int write(ByteBuffer bytes) throws IOException {
            if (room <= 0) {
                throw new IOException("No space left on device");
            }
            int n = (int) Math.min(room, bytes.remaining());
            ByteBuffer part = bytes.duplicate();
            part.limit(part.position() + n);
            int written = real.write(part);
            bytes.position(bytes.position() + written);
            room -= written;
            return written;
        }

        @Override
        public void truncate(long size) throws IOException {
            if (truncateFails) {
                throw new IOException("Input/output error");
            }
            real.truncate(size);
        }

        @Override
        public long size() throws IOException {
            return real.size();
        }

        @Override
        public int read(ByteBuffer into, long position) throws IOException {
            return real.read(into, position);
        }

        @Override
        public void close() throws IOException {
            real.close();
        }
    }

    private static Sighting seen(long seq) throws Exception {
        return new Sighting(DeduplicatorTest.ev(seq, "line " + seq + " " + "x".repeat((int) (seq % 7) * 30)),
                DeliveryPath.STDOUT, 1_700_000_000_000L + seq, "test", seq);
    }

    /** What a journal holds when nothing fails: the byte length of all records, to place failures everywhere. */
    private long fullLength() throws Exception {
        Path file = dir.resolve("full.jsonl");
        try (Journal j = new Journal(JournalFile.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), 0, 0)) {
            for (int i = 1; i <= EVENTS; i++) {
                j.append(seen(i));
            }
        }
        return Files.size(file);
    }

    @Test
    void aWriteFailingAtAnyByteLeavesWholeRecordsAndNamesEveryEventNotWritten() throws Exception {
        long full = fullLength();
        for (long room = 0; room <= full; room += 37) {
            Path file = dir.resolve("j" + room + ".jsonl");
            Journal journal = new Journal(new FillingFile(file, room, false), 0, 0);
            List<Long> notWritten = new ArrayList<>();
            for (int i = 1; i <= EVENTS && journal.failure() == null; i++) {
                journal.append(seen(i));
                if (i % 7 == 0) { // ingest flushes whenever it has caught up
                    try {
                        journal.flush();
                    } catch (JournalWriteFailed f) {
                        f.notWritten().forEach(e -> notWritten.add(e.seq()));
                    }
                }
            }
            try {
                journal.close();
            } catch (JournalWriteFailed f) {
                f.notWritten().forEach(e -> notWritten.add(e.seq()));
            }
            List<Long> inFile = wholeRecords(file);
            assertEquals(journal.written(), inFile.size(), "count = records in the file, room " + room);
            assertEquals(Files.size(file), journal.bytes(), "room " + room);
            for (int k = 0; k < inFile.size(); k++) {
                assertEquals(k + 1, inFile.get(k), "a prefix, in order, room " + room);
            }
            if (journal.failure() != null) {
                assertEquals(inFile.size() + 1, notWritten.get(0), "the not-written start where the file stops");
                assertTrue(notWritten.size() <= 7 || room == 0 && notWritten.size() <= 7, "one batch");
                assertNull(journal.damage());
                assertThrows(IllegalStateException.class, () -> journal.append(seen(99)), "nothing after a failure");
            } else {
                assertEquals(EVENTS, inFile.size());
            }
        }
    }

    /**
     * Ingest keeps no accepted event's content in memory: a later sighting in other text is compared with the
     * accepted one read back from its record, whether still in the batch or in the file, in a journal opened again
     * too; payloads holding the record's own field name or non-ASCII text come back byte for byte.
     */
    @Test
    void theRecordAtAnOffsetGivesItsPayloadBackFromTheBatchOrTheFile() throws Exception {
        List<String> payloads = new ArrayList<>();
        List<Long> offsets = new ArrayList<>();
        try (Journal j = Journal.create(dir)) {
            for (int i = 1; i <= 2_000; i++) {
                Event e = dev.lb.protocol.EventDecoder.decode("{\"run_id\":\"r\",\"host\":\"h\",\"workload\":\"w\","
                        + "\"repetition\":1,\"status\":\"running\",\"src\":\"agent\",\"seq\":" + i + ",\"message\":\"é ,\\\"event\\\": "
                        + "\u2603 " + "y".repeat(i % 300) + "\"}");
                offsets.add(j.nextOffset());
                payloads.add(e.payloadJson());
                j.append(new Sighting(e, DeliveryPath.JSONL, 1_700_000_000_000L + i, "test", i));
                if (i == 1_000) {
                    // Half in the file, the rest partly in the batch: both are read back.
                    assertEquals(payloads.get(999), j.payloadAt(offsets.get(999)), "the last record, still batched");
                }
            }
            for (int i = 0; i < payloads.size(); i++) {
                assertEquals(payloads.get(i), j.payloadAt(offsets.get(i)), "record " + (i + 1));
            }
            assertNull(j.payloadAt(-1));
        }
        long[] torn = new long[1];
        try (Journal again = Journal.openForAppend(dir, torn)) {
            assertEquals(payloads.get(1_234), again.payloadAt(offsets.get(1_234)));
            long next = again.nextOffset();
            assertEquals(Files.size(dir.resolve(Journal.FILE)), next);
            again.append(seen(9_999));
            assertTrue(again.payloadAt(next).contains("\"seq\":9999"), again.payloadAt(next));
        }
    }

    @Test
    void aFailedJournalReadsNothingBack() throws Exception {
        Path file = dir.resolve("failing.jsonl");
        try (Journal j = new Journal(new FillingFile(file, 100, false), 0, 0)) {
            long first = j.nextOffset();
            j.append(seen(1));
            assertThrows(JournalWriteFailed.class, j::flush);
            assertNull(j.payloadAt(first), "a failed journal answers nothing, rather than a record it cut back");
            assertEquals(-1, j.nextOffset());
        }
    }

    @Test
    void aCutBackThatFailsIsNamedAsDamage() throws Exception {
        Path file = dir.resolve("j.jsonl");
        Journal journal = new Journal(new FillingFile(file, 400, true), 0, 0);
        journal.append(seen(1));
        journal.flush();
        journal.append(seen(2));
        JournalWriteFailed f = assertThrows(JournalWriteFailed.class, journal::flush);
        assertEquals(List.of(2L), f.notWritten().stream().map(Event::seq).toList());
        assertEquals(1, journal.written());
        assertNotNull(journal.damage());
        assertTrue(journal.damage().contains("torn record after byte " + journal.bytes()), journal.damage());
    }

    @Test
    void ingestKeepsCountingAndNamesTheEventsTheJournalCouldNotTake() throws Exception {
        Journal journal = new Journal(new FillingFile(dir.resolve(Journal.FILE), 1000, false), 0, 0);
        List<String> notices = new ArrayList<>();
        List<Long> shown = new ArrayList<>();
        Ingest ingest = new Ingest(new Deduplicator(1000), journal, new RunState(List.of("h"), List.of("w"), 1),
                new RunListener() {
                    @Override
                    public void accepted(Sighting s, RunState state) {
                        shown.add(s.event().seq());
                    }

                    @Override
                    public void notice(String message) {
                        notices.add(message);
                    }
                });
        ingest.start();
        for (int i = 1; i <= 30; i++) {
            ingest.submit(seen(i));
            assertTrue(ingest.drain(5, TimeUnit.SECONDS));
        }
        ingest.finish(5, TimeUnit.SECONDS);
        List<Long> inFile = wholeRecords(dir.resolve(Journal.FILE));
        assertEquals(30, shown.size(), "every event shown");
        assertEquals(30, ingest.dedupe().accepted(), "every event counted");
        assertEquals(journal.written(), inFile.size());
        assertEquals(30 - inFile.size(), ingest.notJournalled().count());
        var ranges = ingest.notJournalled().ranges();
        assertEquals(1, ranges.size());
        assertEquals(List.of(inFile.size() + 1L, 30L), List.of(ranges.get(0).from(), ranges.get(0).to()));
        assertTrue(notices.stream().anyMatch(n -> n.contains("No space left on device")), notices.toString());
    }

    /** seq of every line; fails on a line that is not a whole record or a file that does not end in a newline. */
    private static List<Long> wholeRecords(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        assertTrue(text.isEmpty() || text.endsWith("\n"), "ends on a record boundary");
        List<Long> seqs = new ArrayList<>();
        for (String line : text.lines().toList()) {
            JsonNode r = JSON.readTree(line);
            seqs.add(r.get("event").get("seq").asLong());
        }
        return seqs;
    }
}
