package dev.lb.protocol;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Lines of a file lb wrote, read leniently: a line that is not valid UTF-8 (a damaged disk, a torn write) is decoded
 * with U+FFFD in place of each bad sequence and flagged, so the reader can name it instead of failing on the whole
 * file. Lines end at LF; a CR before it is kept (JSON readers ignore it). A line longer than the limit (by default
 * {@link LbEventExtractor#DEFAULT_MAX_LINE_CHARS} bytes, the limit of {@code lb events parse}) is read past, never
 * held: it comes back with no text, its length and {@code tooLong} set, so one damaged line of any size costs no
 * memory.
 */
public final class Utf8Lines implements Closeable {
    /**
     * One line: its 1-based number, its text, whether bad bytes were replaced, the byte offset where it starts, and
     * whether it ended with its newline (a last line without one was cut, or is still being written).
     */
    public record Line(long number, String text, boolean replaced, long start, boolean ended, long length,
                       boolean tooLong) {
        public Line(long number, String text, boolean replaced, long start, boolean ended) {
            this(number, text, replaced, start, ended, -1, false);
        }
    }

    private final InputStream in;
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream(256);
    private final int maxLineBytes;
    private long number;
    private long offset;

    public Utf8Lines(InputStream in) {
        this(in, LbEventExtractor.DEFAULT_MAX_LINE_CHARS);
    }

    /** Lines of more than {@code maxLineBytes} bytes (newline not counted) come back without their text. */
    public Utf8Lines(InputStream in, int maxLineBytes) {
        this.in = new BufferedInputStream(in, 1 << 16);
        this.maxLineBytes = maxLineBytes;
    }

    public int maxLineBytes() {
        return maxLineBytes;
    }

    /** The next line, or null at the end of the file. A last line without its newline is still a line. */
    public Line next() throws IOException {
        buf.reset();
        int b;
        long length = 0;
        while ((b = in.read()) != -1 && b != '\n') {
            if (length++ < maxLineBytes) {
                buf.write(b);
            }
        }
        if (b == -1 && length == 0) {
            return null;
        }
        number++;
        if (length > maxLineBytes) {
            long start = offset;
            offset += length + (b == '\n' ? 1 : 0);
            buf.reset();
            return new Line(number, "", false, start, b == '\n', length, true);
        }
        byte[] bytes = buf.toByteArray();
        long start = offset;
        boolean ended = b == '\n';
        offset += bytes.length + (ended ? 1 : 0);
        try {
            return new Line(number, StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString(), false,
                    start, ended, length, false);
        } catch (CharacterCodingException e) {
            return new Line(number, new String(bytes, StandardCharsets.UTF_8), true, start, ended, length, false);
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
