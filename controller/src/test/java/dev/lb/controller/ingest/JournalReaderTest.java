package dev.lb.controller.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalReaderTest {
    @TempDir
    Path dir;

    private static String record(int seq) {
        return "{\"received\":1.5,\"path\":\"jsonl\",\"event\":{\"host\":\"h\",\"seq\":" + seq + "}}\n";
    }

    private List<JournalReader.Record> read(byte[] content, List<String> problems, JournalReader[] reader)
            throws Exception {
        Path file = dir.resolve("journal.jsonl");
        Files.write(file, content);
        List<JournalReader.Record> out = new ArrayList<>();
        try (JournalReader r = JournalReader.open(file, problems::add)) {
            for (JournalReader.Record rec; (rec = r.next()) != null; ) {
                out.add(rec);
            }
            reader[0] = r;
        }
        return out;
    }

    @Test
    void damagedLinesAreNamedInOnePlainSentenceAndEveryGoodRecordIsKept() throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(record(1).getBytes(StandardCharsets.UTF_8));
        b.writeBytes("{\"received\":2,\"path\":\"stdout\",\"event\":{\"host\":\"h\u00ff\",\"seq\":2}}\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        b.writeBytes("\n{\"received\": 3, \"event\": {\"seq\": \n".getBytes(StandardCharsets.UTF_8));
        b.writeBytes("[1, 2]\n".getBytes(StandardCharsets.UTF_8));
        b.writeBytes(record(5).getBytes(StandardCharsets.UTF_8));
        int cutAt = b.size();
        b.writeBytes("{\"received\":6,\"path\":\"jso".getBytes(StandardCharsets.UTF_8));
        List<String> problems = new ArrayList<>();
        JournalReader[] r = new JournalReader[1];
        List<JournalReader.Record> records = read(b.toByteArray(), problems, r);

        assertEquals(List.of(1L, 2L, 6L), records.stream().map(JournalReader.Record::line).toList());
        assertEquals("h\uFFFD", records.get(1).event().path("host").asText(), "bad bytes become U+FFFD");
        assertEquals("jsonl", records.get(0).path());
        assertEquals(1.5, records.get(0).received());
        assertEquals(3, r[0].unreadable());
        assertTrue(r[0].cut() && r[0].lastLineUnreadable());
        String file = dir.resolve("journal.jsonl").toString();
        assertEquals(file + ":2: not valid UTF-8; read with U+FFFD in place of the bad bytes", problems.get(0));
        assertTrue(problems.get(1).startsWith(file + ":4: unreadable record (not JSON (Unexpected end-of-input"),
                problems.get(1));
        assertEquals(file + ":5: unreadable record (not a journal record (no event object)), skipped", problems.get(2));
        assertEquals(file + ":7: unreadable record (cut at byte " + cutAt + ": the last record has no end, its writer"
                + " was stopped mid-record), skipped", problems.get(3));
        problems.forEach(p -> assertFalse(p.contains("REDACTED") || p.contains("\n"), p));
    }

    @Test
    void aWholeJournalHasNothingToSay() throws Exception {
        List<String> problems = new ArrayList<>();
        JournalReader[] r = new JournalReader[1];
        assertEquals(2, read((record(1) + record(2)).getBytes(StandardCharsets.UTF_8), problems, r).size());
        assertEquals(List.of(), problems);
        assertFalse(r[0].cut() || r[0].lastLineUnreadable());
        assertEquals(0, r[0].unreadable());
    }

    /**
     * Issue 29: a 200 MB journal line ended `lb journal show`, `doctor --run`, `results` and `report` in an
     * OutOfMemoryError. The reader has the line limit of `lb events parse` (8 MiB): a longer line, even a valid
     * record, is skipped unread and named; the records around it are kept.
     */
    @Test
    void aLineOverTheLimitIsSkippedUnreadWhateverItsSize() throws Exception {
        Path file = dir.resolve("journal.jsonl");
        try (var out = Files.newOutputStream(file)) {
            out.write(record(1).getBytes(StandardCharsets.UTF_8));
            String pad = "x".repeat(1 << 20);
            out.write("{\"received\":2,\"path\":\"jsonl\",\"event\":{\"seq\":2,\"m\":\"".getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < 9; i++) {
                out.write(pad.getBytes(StandardCharsets.UTF_8));
            }
            out.write("\"}}\n".getBytes(StandardCharsets.UTF_8));
            out.write(record(3).getBytes(StandardCharsets.UTF_8));
        }
        List<String> problems = new ArrayList<>();
        List<JournalReader.Record> records = new ArrayList<>();
        try (JournalReader r = JournalReader.open(file, problems::add)) {
            for (JournalReader.Record rec; (rec = r.next()) != null; ) {
                records.add(rec);
            }
            assertEquals(1, r.unreadable());
            assertFalse(r.lastLineUnreadable());
        }
        assertEquals(List.of(1L, 3L), records.stream().map(JournalReader.Record::line).toList());
        long length = 9L * (1 << 20) + "{\"received\":2,\"path\":\"jsonl\",\"event\":{\"seq\":2,\"m\":\"\"}}".length();
        assertEquals(List.of(file + ":2: unreadable record (a line of " + length + " bytes, over the limit of 8388608),"
                + " skipped"), problems);
    }
}
