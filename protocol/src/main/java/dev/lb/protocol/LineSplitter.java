package dev.lb.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Splits a byte stream into UTF-8 lines, with a bound on line length. Bytes arrive in chunks of any size; a line
 * is emitted only once its {@code \n} has arrived, so a reader that stops mid-line never sees half a line. Invalid
 * UTF-8 becomes U+FFFD rather than failing the stream.
 *
 * <p>A line longer than {@code maxLineBytes} is not buffered whole: its first {@code maxLineBytes} bytes are kept,
 * the rest are counted and dropped, and {@link Sink#tooLong} reports it when its end arrives. Memory stays bounded
 * whatever the input.
 */
public final class LineSplitter {
    /** Receives what the splitter finds. */
    public interface Sink {
        /** A complete line, without its {@code \n}. */
        void line(String line);

        /**
         * The same, with what the splitter saw in the line's bytes: {@code controls} false when none of them is below
         * 0x20 (so no ESC: nothing for {@link TerminalText#stripAnsi} to remove), true when one may be. A sink that
         * has no use for it gets {@link #line(String)}.
         */
        default void line(String line, boolean controls) {
            line(line);
        }

        /** A line over the limit: its first bytes (decoded) and its full length in bytes. */
        void tooLong(String head, long lengthBytes);
    }

    private final int maxLineBytes;
    private final Sink sink;
    private byte[] buf = new byte[256];
    private int len;
    private long overflow;
    /** Whether the bytes of the unfinished line seen so far held a control character (other than its newline). */
    private boolean pendingControls;

    public LineSplitter(int maxLineBytes, Sink sink) {
        if (maxLineBytes < 1) {
            throw new IllegalArgumentException("maxLineBytes must be positive, was " + maxLineBytes);
        }
        this.maxLineBytes = maxLineBytes;
        this.sink = sink;
    }

    public void feed(byte[] bytes, int off, int count) {
        int end = off + count;
        int start = off;
        boolean nonAscii = false; // in this line's bytes in this chunk
        boolean controls = pendingControls; // in this line's bytes so far
        for (int i = off; i < end; i++) {
            byte b = bytes[i];
            // One comparison for a printable ASCII byte (nearly all); the rest are bytes with the high bit set (not
            // ASCII: negative), the newline and the other control characters (ESC of a colour code, a tab).
            if (b < 0x20) {
                if (b == '\n') {
                    if (len == 0 && overflow == 0 && i - start <= maxLineBytes) {
                        // A whole line inside this chunk: decoded where it is, without a copy into the buffer first;
                        // an ASCII line (nearly all) by a plain copy, which is what UTF-8 decoding makes of it.
                        sink.line(new String(bytes, start, i - start,
                                nonAscii ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1), controls);
                    } else {
                        append(bytes, start, i - start);
                        emit(controls);
                    }
                    start = i + 1;
                    nonAscii = false;
                    controls = false;
                } else if (b < 0) {
                    nonAscii = true;
                } else {
                    controls = true;
                }
            }
        }
        pendingControls = controls;
        append(bytes, start, end - start);
    }

    /** Bytes of the current unfinished line (including dropped overflow). */
    public long pendingBytes() {
        return len + overflow;
    }

    /**
     * Ends the stream: a final line without {@code \n} is emitted as a line. Call it only when the source is known
     * to be complete (a process exited), never while a file may still grow.
     */
    public void finish() {
        if (pendingBytes() > 0) {
            emit(pendingControls);
        }
    }

    private void append(byte[] bytes, int off, int count) {
        if (count <= 0) {
            return;
        }
        int room = maxLineBytes - len;
        int take = Math.min(room, count);
        if (take > 0) {
            if (len + take > buf.length) {
                buf = Arrays.copyOf(buf, Math.min(maxLineBytes, Math.max(buf.length * 2, len + take)));
            }
            System.arraycopy(bytes, off, buf, len, take);
            len += take;
        }
        overflow += count - take;
    }

    private void emit(boolean controls) {
        String text = new String(buf, 0, len, StandardCharsets.UTF_8);
        if (overflow > 0) {
            sink.tooLong(text, len + overflow);
        } else {
            sink.line(text, controls);
        }
        len = 0;
        overflow = 0;
        pendingControls = false;
        if (buf.length > 64 * 1024) {
            buf = new byte[256]; // do not keep a megabyte buffer alive because of one long line
        }
    }
}
