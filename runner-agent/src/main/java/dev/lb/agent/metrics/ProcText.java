package dev.lb.agent.metrics;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * One /proc file at a time, read whole into a buffer that is reused from sample to sample, and a cursor that reads
 * words and numbers out of it without making a string per line: /proc files are ASCII, space-separated, and are
 * read every second for the whole run.
 */
final class ProcText {
    static final int MAX_BYTES = 4 * 1024 * 1024;
    private byte[] buf = new byte[16 * 1024];
    private ByteBuffer view = ByteBuffer.wrap(buf);
    private int len;
    private int pos;
    private int wordStart;
    private int wordEnd;

    /**
     * Reads {@code file} whole (a /proc file reports size 0, so it is read until end of file, growing as needed, up
     * to {@link #MAX_BYTES}: a root that points at something other than /proc must not fill the heap).
     */
    void load(Path file) throws IOException, ProcFormatException {
        len = 0;
        pos = 0;
        try (FileChannel ch = FileChannel.open(file)) {
            while (true) {
                if (len == buf.length) {
                    if (len >= MAX_BYTES) {
                        throw new ProcFormatException("larger than " + MAX_BYTES / (1024 * 1024) + " MiB");
                    }
                    buf = Arrays.copyOf(buf, buf.length * 2);
                    view = ByteBuffer.wrap(buf);
                }
                view.limit(buf.length).position(len);
                int n = ch.read(view);
                if (n < 0) {
                    return;
                }
                len += n;
            }
        }
    }

    boolean atEnd() {
        return pos >= len;
    }

    /** At the end of the current line (or of the file), blanks skipped. */
    boolean atLineEnd() {
        skipSpaces();
        return pos >= len || buf[pos] == '\n' || buf[pos] == '\r';
    }

    /** Moves to the start of the next line (or the end). */
    void nextLine() {
        while (pos < len && buf[pos] != '\n') {
            pos++;
        }
        if (pos < len) {
            pos++;
        }
    }

    void skipSpaces() {
        while (pos < len && (buf[pos] == ' ' || buf[pos] == '\t')) {
            pos++;
        }
    }

    /** Whether the current line starts with {@code prefix} (ASCII); the cursor moves past it when it does. */
    boolean skipIf(String prefix) {
        int n = prefix.length();
        if (len - pos < n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (buf[pos + i] != prefix.charAt(i)) {
                return false;
            }
        }
        pos += n;
        return true;
    }

    /** Skips blanks, then marks a word ending at a blank, a newline or {@code stop}; see {@link #wordStart()}. */
    void word(char stop) throws ProcFormatException {
        skipSpaces();
        wordStart = pos;
        while (pos < len && buf[pos] != ' ' && buf[pos] != '\t' && buf[pos] != '\n' && buf[pos] != stop) {
            pos++;
        }
        wordEnd = pos;
        if (wordEnd == wordStart) {
            throw new ProcFormatException("a name is missing at " + where());
        }
        if (pos < len && buf[pos] == stop) {
            pos++;
        }
    }

    /** Whether the last {@link #word} is {@code s}, compared byte by byte (no string made). */
    boolean wordEquals(String s) {
        int n = wordEnd - wordStart;
        if (n != s.length()) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (buf[wordStart + i] != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    boolean wordStartsWith(String s) {
        int n = s.length();
        if (wordEnd - wordStart < n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (buf[wordStart + i] != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    String wordString() {
        return new String(buf, wordStart, wordEnd - wordStart, StandardCharsets.US_ASCII);
    }

    /** Whether another number follows on this line. */
    boolean hasNumber() {
        skipSpaces();
        return pos < len && buf[pos] >= '0' && buf[pos] <= '9';
    }

    /** Skips blanks and reads a non-negative integer. */
    long nextLong() throws ProcFormatException {
        skipSpaces();
        int start = pos;
        long v = 0;
        while (pos < len && buf[pos] >= '0' && buf[pos] <= '9') {
            if (pos - start == 18) {
                throw new ProcFormatException("a number longer than 18 digits at " + where());
            }
            v = v * 10 + (buf[pos++] - '0');
        }
        if (pos == start) {
            throw new ProcFormatException("expected a number at " + where());
        }
        return v;
    }

    /** Skips blanks and reads a non-negative decimal such as {@code 0.52}, the form /proc/loadavg writes. */
    double nextDecimal() throws ProcFormatException {
        long whole = nextLong();
        if (pos >= len || buf[pos] != '.') {
            return whole;
        }
        pos++;
        long scaled = whole;
        long scale = 1;
        int start = pos;
        while (pos < len && buf[pos] >= '0' && buf[pos] <= '9' && pos - start < 9) {
            scaled = scaled * 10 + (buf[pos++] - '0');
            scale *= 10;
        }
        if (pos == start) {
            throw new ProcFormatException("expected digits after the decimal point at " + where());
        }
        while (pos < len && buf[pos] >= '0' && buf[pos] <= '9') {
            pos++; // beyond nine decimals: below a double's use here
        }
        // One division of two exact integers: the same double Double.parseDouble gives for the text.
        return (double) scaled / scale;
    }

    /**
     * The text between the first {@code open} and the last {@code close} of the file, the cursor moved past that
     * close: the command name in /proc/[pid]/stat, which may itself hold blanks and parentheses.
     */
    String between(char open, char close) throws ProcFormatException {
        int start = -1;
        for (int i = 0; i < len; i++) {
            if (buf[i] == open) {
                start = i + 1;
                break;
            }
        }
        int end = -1;
        for (int i = len - 1; i >= start && start >= 0; i--) {
            if (buf[i] == close) {
                end = i;
                break;
            }
        }
        if (start < 0 || end < 0) {
            throw new ProcFormatException("no text between " + open + " and " + close + " in " + where());
        }
        pos = end + 1;
        return new String(buf, start, end - start, StandardCharsets.UTF_8);
    }

    /** Skips {@code n} blank-separated words of any kind (signed numbers, single letters). */
    void skipWords(int n) throws ProcFormatException {
        for (int i = 0; i < n; i++) {
            word(' ');
        }
    }

    /** Whether the file holds {@code s} (ASCII) anywhere; /proc/[pid]/cmdline separates its arguments by NUL. */
    boolean contains(String s) {
        int n = s.length();
        outer:
        for (int i = 0; i + n <= len; i++) {
            for (int j = 0; j < n; j++) {
                if (buf[i + j] != s.charAt(j)) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /** Skips {@code n} numbers. */
    void skipNumbers(int n) throws ProcFormatException {
        for (int i = 0; i < n; i++) {
            nextLong();
        }
    }

    /** Line number and the line's start, for a message that says where a file stopped making sense. */
    String where() {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < Math.min(pos, len); i++) {
            if (buf[i] == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        int end = lineStart;
        while (end < len && buf[end] != '\n' && end - lineStart < 60) {
            end++;
        }
        String text = new String(buf, lineStart, end - lineStart, StandardCharsets.US_ASCII).strip();
        return "line " + line + " ('" + text + "')";
    }
}
