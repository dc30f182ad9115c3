package dev.lb.controller.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lb.protocol.Json;
import dev.lb.protocol.Utf8Lines;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * {@code journal.jsonl} read back, as {@link Journal} writes it, by everything that reads it: the journal commands
 * and {@code lb recover} (JournalReplay), {@code lb doctor --run}, {@code lb results} and {@code lb report}. One
 * reader, so that a damaged journal is the same journal to each of them.
 *
 * <p>Lenient and plain-spoken: bytes that are not UTF-8 become U+FFFD (the line is named); a line that is not a record
 * is skipped, counted and named with the parser's own words in one sentence; a last line without its newline (a
 * controller killed mid-write, a full disk) is reported as cut at its byte offset; a line over the line limit of
 * {@code lb events parse} (8 MiB; no record the journal writes is that long) is skipped unread, whatever its size.
 * Nothing here throws for bad content; only a file that cannot be read at all does.
 */
public final class JournalReader implements Closeable {
    /** One record: its line, when it was received (epoch seconds), the path that delivered it, and the event. */
    public record Record(long line, double received, String path, ObjectNode event) {
    }

    private final Path file;
    private final Utf8Lines lines;
    private final Consumer<String> problems;
    private long unreadable;
    private boolean lastUnreadable;
    private boolean cut;

    private JournalReader(Path file, Consumer<String> problems) throws IOException {
        this.file = file;
        this.lines = new Utf8Lines(Files.newInputStream(file));
        this.problems = problems;
    }

    /** Each problem is one line, starting with the file and, where there is one, the line number. */
    public static JournalReader open(Path file, Consumer<String> problems) throws IOException {
        return new JournalReader(file, problems);
    }

    /** The next readable record, or null at the end of the file. */
    public Record next() throws IOException {
        for (Utf8Lines.Line l; (l = lines.next()) != null; ) {
            if (!l.tooLong() && l.text().isBlank()) {
                continue;
            }
            String where = file + ":" + l.number() + ": ";
            if (l.tooLong()) {
                unreadable++;
                lastUnreadable = true;
                cut |= !l.ended();
                problems.accept(where + "unreadable record (a line of " + l.length() + " bytes, over the limit of "
                        + lines.maxLineBytes() + "), skipped");
                continue;
            }
            if (l.replaced()) {
                problems.accept(where + "not valid UTF-8; read with U+FFFD in place of the bad bytes");
            }
            lastUnreadable = false;
            String why;
            try {
                JsonNode rec = Json.MAPPER.readTree(l.text());
                if (rec != null && rec.get("event") instanceof ObjectNode event) {
                    return new Record(l.number(), rec.path("received").asDouble(), rec.path("path").asText(""), event);
                }
                why = "not a journal record (no event object)";
            } catch (JsonProcessingException e) {
                why = "not JSON (" + firstLine(e.getOriginalMessage()) + ")";
            }
            unreadable++;
            lastUnreadable = true;
            if (!l.ended()) {
                cut = true;
                problems.accept(where + "unreadable record (cut at byte " + l.start() + ": the last record has no end,"
                        + " its writer was stopped mid-record), skipped");
            } else {
                problems.accept(where + "unreadable record (" + why + "), skipped");
            }
        }
        return null;
    }

    /** Lines that were not records, so far. */
    public long unreadable() {
        return unreadable;
    }

    /**
     * Whether the last line read was not a record: a torn last line is what a killed controller leaves, anything
     * before it is damage. Meaningful once {@link #next} returned null.
     */
    public boolean lastLineUnreadable() {
        return lastUnreadable;
    }

    /** Whether the last line had no end. */
    public boolean cut() {
        return cut;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    @Override
    public void close() throws IOException {
        lines.close();
    }
}
