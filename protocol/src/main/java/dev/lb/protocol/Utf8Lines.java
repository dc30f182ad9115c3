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
 * file. Lines end at LF; a CR before it is kept (JSON readers ignore it).
 */
public final class Utf8Lines implements Closeable {
    /**
     * One line: its 1-based number, its text, whether bad bytes were replaced, the byte offset where it starts, and
     * whether it ended with its newline (a last line without one was cut, or is still being written).
     */
    public record Line(long number, String text, boolean replaced, long start, boolean ended) {
    }

    private final InputStream in;
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream(256);
    private long number;
    private long offset;

    public Utf8Lines(InputStream in) {
        this.in = new BufferedInputStream(in, 1 << 16);
    }

    /** The next line, or null at the end of the file. A last line without its newline is still a line. */
    public Line next() throws IOException {
        buf.reset();
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            buf.write(b);
        }
        if (b == -1 && buf.size() == 0) {
            return null;
        }
        number++;
        byte[] bytes = buf.toByteArray();
        long start = offset;
        boolean ended = b == '\n';
        offset += bytes.length + (ended ? 1 : 0);
        try {
            return new Line(number, StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString(), false,
                    start, ended);
        } catch (CharacterCodingException e) {
            return new Line(number, new String(bytes, StandardCharsets.UTF_8), true, start, ended);
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
