package dev.lb.protocol;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

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
    private final int maxLineBytes;
    /*
     * Read in blocks and split with a scan for the newline: reading byte by byte through BufferedInputStream and
     * ByteArrayOutputStream took two locks a byte, most of the main thread's time reading a journal at a run's end.
     */
    private final byte[] block = new byte[1 << 16];
    private int pos;
    private int end;
    /** The current line's bytes (at most maxLineBytes of them). */
    private byte[] line = new byte[256];
    private final CharsetDecoder strict = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private long number;
    private long offset;

    public Utf8Lines(InputStream in) {
        this(in, LbEventExtractor.DEFAULT_MAX_LINE_CHARS);
    }

    /** Lines of more than {@code maxLineBytes} bytes (newline not counted) come back without their text. */
    public Utf8Lines(InputStream in, int maxLineBytes) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
    }

    public int maxLineBytes() {
        return maxLineBytes;
    }

    /** The next line, or null at the end of the file. A last line without its newline is still a line. */
    public Line next() throws IOException {
        int kept = 0;
        long length = 0;
        boolean ended = false;
        while (!ended) {
            if (pos == end && !fill()) {
                break;
            }
            int stop = pos;
            while (stop < end && block[stop] != '\n') {
                stop++;
            }
            int take = stop - pos;
            if (length < maxLineBytes) {
                int k = (int) Math.min(maxLineBytes - length, take);
                if (kept + k > line.length) {
                    line = Arrays.copyOf(line, Math.max(kept + k, (int) Math.min(maxLineBytes, 2L * line.length)));
                }
                System.arraycopy(block, pos, line, kept, k);
                kept += k;
            }
            length += take;
            pos = stop;
            if (stop < end) {
                pos++;
                ended = true;
            }
        }
        if (!ended && length == 0) {
            return null;
        }
        number++;
        long start = offset;
        offset += length + (ended ? 1 : 0);
        if (length > maxLineBytes) {
            return new Line(number, "", false, start, ended, length, true);
        }
        if (ascii(line, kept)) {
            return new Line(number, new String(line, 0, kept, StandardCharsets.ISO_8859_1), false, start, ended, length,
                    false);
        }
        try {
            return new Line(number, strict.reset().decode(ByteBuffer.wrap(line, 0, kept)).toString(), false, start,
                    ended, length, false);
        } catch (CharacterCodingException e) {
            return new Line(number, new String(line, 0, kept, StandardCharsets.UTF_8), true, start, ended, length,
                    false);
        }
    }

    /** The next block; false at the end of the stream (a later call reads on, as from a file still growing). */
    private boolean fill() throws IOException {
        int n = in.read(block, 0, block.length);
        if (n < 0) {
            return false;
        }
        pos = 0;
        end = n;
        return true;
    }

    private static boolean ascii(byte[] bytes, int n) {
        for (int i = 0; i < n; i++) {
            if (bytes[i] < 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
