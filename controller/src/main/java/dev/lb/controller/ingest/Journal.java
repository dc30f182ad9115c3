package dev.lb.controller.ingest;

import dev.lb.controller.listener.Sighting;
import dev.lb.protocol.Event;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code journal.jsonl}: every accepted event, in arrival order, one line each:
 * {@code {"received": epoch seconds, "path": "stdout"|"jsonl", "event": {payload}}}.
 *
 * <p>Append-only in whole records: records are batched in memory and written when ingest has caught up (or the batch
 * is full). A write that fails part-way (a full disk) is cut back to the end of the last whole record and the
 * journal stops there: it is always a clean prefix of what was accepted, its record count is exact, and the
 * events of the failed batch are handed back to be named as not journalled. Nothing is appended after a failure.
 */
public final class Journal implements Closeable {
    public static final String FILE = "journal.jsonl";
    static final int BATCH_BYTES = 1 << 16;

    private final JournalFile file;
    private final ByteArrayOutputStream batch = new ByteArrayOutputStream(BATCH_BYTES + 4096);
    private final List<Event> batched = new ArrayList<>();
    private long records;
    private long bytes;
    private IOException failure;
    private String damage;

    Journal(JournalFile file, long records, long bytes) {
        this.file = file;
        this.records = records;
        this.bytes = bytes;
    }

    public static Journal create(Path runDir) throws IOException {
        return new Journal(JournalFile.open(runDir.resolve(FILE), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE, StandardOpenOption.READ), 0, 0);
    }

    /**
     * Opens an existing journal to append to (lb recover). A torn last line, left by a controller that died mid-write,
     * is cut off first, so the next record starts on a line of its own; returns how many bytes were cut through
     * {@code tornBytes}. The event of a torn line is recovered from the targets' stream files like any other.
     */
    public static Journal openForAppend(Path runDir, long[] tornBytes) throws IOException {
        Path path = runDir.resolve(FILE);
        if (!Files.exists(path)) {
            return create(runDir);
        }
        JournalFile file = JournalFile.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        long records = 0;
        long keep = 0;
        long size;
        try (var in = new java.io.BufferedInputStream(Files.newInputStream(path), 1 << 16)) {
            long at = 0;
            int b;
            while ((b = in.read()) != -1) {
                at++;
                if (b == '\n') {
                    records++;
                    keep = at;
                }
            }
            size = at;
        }
        tornBytes[0] = size - keep;
        if (keep < size) {
            file.truncate(keep);
        }
        return new Journal(file, records, keep);
    }

    /** Adds one record to the batch; writes the batch when it is full. */
    public void append(Sighting s) throws IOException {
        if (failure != null) {
            throw new IllegalStateException("the journal failed (" + failure.getMessage() + "); nothing is appended after");
        }
        byte[] payload = s.payloadJson().getBytes(StandardCharsets.UTF_8);
        batch.writeBytes(("{\"received\":" + seconds(s.receivedMillis()) + ",\"path\":\"" + s.path().wireName()
                + "\",\"event\":").getBytes(StandardCharsets.UTF_8));
        batch.writeBytes(payload);
        batch.writeBytes(RECORD_END);
        batched.add(s.event());
        if (batch.size() >= BATCH_BYTES) {
            flush();
        }
    }

    private static final byte[] RECORD_END = "}\n".getBytes(StandardCharsets.US_ASCII);
    private static final String EVENT_FIELD = ",\"event\":";

    /** Where the next record appended starts in the file, or -1 once the journal has failed (nothing is appended). */
    public long nextOffset() {
        return failure != null ? -1 : bytes + batch.size();
    }

    /**
     * The payload text of the record this journal appended at {@code offset} (from {@link #nextOffset}), read back
     * from the file or from the batch not yet written; null when it cannot be read (the journal failed, a read
     * error, or no record of ours starts there). For the rare comparison of an accepted event with a later sighting
     * in other text: the accepted one's content is not kept in memory.
     */
    public String payloadAt(long offset) {
        if (failure != null || offset < 0) {
            return null;
        }
        byte[] record;
        if (offset >= bytes) {
            int at = (int) (offset - bytes);
            byte[] pending = batch.toByteArray();
            int end = indexOf(pending, at, pending.length);
            record = end < 0 ? null : java.util.Arrays.copyOfRange(pending, at, end + 1);
        } else {
            record = readRecord(offset);
        }
        if (record == null) {
            return null;
        }
        // A record is the prefix append writes ("received" and "path" first), the payload, then RECORD_END.
        String text = new String(record, StandardCharsets.UTF_8);
        int from = text.indexOf(EVENT_FIELD);
        int to = text.length() - RECORD_END.length;
        if (!text.startsWith("{") || from < 0 || to < from + EVENT_FIELD.length() || text.charAt(to) != '}') {
            return null;
        }
        return text.substring(from + EVENT_FIELD.length(), to);
    }

    /** The bytes from offset to its line's end (newline included), or null. */
    private byte[] readRecord(long offset) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        ByteBuffer buf = ByteBuffer.allocate(4096);
        long at = offset;
        try {
            while (at < bytes) {
                buf.clear();
                int n = file.read(buf, at);
                if (n <= 0) {
                    return null;
                }
                int end = indexOf(buf.array(), 0, n);
                if (end >= 0) {
                    out.write(buf.array(), 0, end + 1);
                    return out.toByteArray();
                }
                out.write(buf.array(), 0, n);
                at += n;
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    /** The first newline in a[from, to), or -1. */
    private static int indexOf(byte[] a, int from, int to) {
        for (int i = from; i < to; i++) {
            if (a[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** Writes the batch: every record of it is in the file, or none is and {@link JournalWriteFailed} names them. */
    public void flush() throws IOException {
        if (failure != null || batch.size() == 0) {
            return;
        }
        ByteBuffer buf = ByteBuffer.wrap(batch.toByteArray());
        try {
            while (buf.hasRemaining()) {
                file.write(buf);
            }
        } catch (IOException e) {
            failure = e;
            cutBack();
            JournalWriteFailed failed = new JournalWriteFailed(e, batched);
            batch.reset();
            batched.clear();
            throw failed;
        }
        records += batched.size();
        bytes += buf.capacity();
        batch.reset();
        batched.clear();
    }

    /** Back to the end of the last whole record; if even that fails, the torn tail is named (readers skip it). */
    private void cutBack() {
        try {
            file.truncate(bytes);
        } catch (IOException e) {
            damage = "the journal ends in a torn record after byte " + bytes + " (cutting it back failed: "
                    + e.getMessage() + "); readers skip it";
        }
    }

    /** Whole records in the file: those it held when opened and those written since. */
    public long written() {
        return records;
    }

    public long bytes() {
        return bytes;
    }

    /** The write error that stopped the journal, or null. */
    public IOException failure() {
        return failure;
    }

    /** Why the file does not end on a record boundary, or null when it does. */
    public String damage() {
        return damage;
    }

    @Override
    public void close() throws IOException {
        try {
            flush();
        } finally {
            file.close();
        }
    }

    private static String seconds(long millis) {
        return java.math.BigDecimal.valueOf(millis, 3).toPlainString();
    }
}
