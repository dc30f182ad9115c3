package dev.lb.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Utf8LinesTest {

    private static List<Utf8Lines.Line> read(byte[] bytes, int maxLineBytes) throws IOException {
        return read(new ByteArrayInputStream(bytes), maxLineBytes);
    }

    private static List<Utf8Lines.Line> read(InputStream in, int maxLineBytes) throws IOException {
        List<Utf8Lines.Line> out = new ArrayList<>();
        try (Utf8Lines lines = new Utf8Lines(in, maxLineBytes)) {
            for (Utf8Lines.Line l; (l = lines.next()) != null; ) {
                out.add(l);
            }
        }
        return out;
    }

    @Test
    void linesEndAtTheNewlineKeepTheirCarriageReturnAndTheLastNeedsNone() throws IOException {
        List<Utf8Lines.Line> lines = read("a\r\n\nbé€\nlast".getBytes(StandardCharsets.UTF_8), 100);
        assertEquals(4, lines.size());
        assertEquals(new Utf8Lines.Line(1, "a\r", false, 0, true, 2, false), lines.get(0));
        assertEquals(new Utf8Lines.Line(2, "", false, 3, true, 0, false), lines.get(1));
        assertEquals(new Utf8Lines.Line(3, "bé€", false, 4, true, 6, false), lines.get(2));
        assertEquals(new Utf8Lines.Line(4, "last", false, 11, false, 4, false), lines.get(3));
    }

    @Test
    void anEmptyFileHasNoLinesAndAFinalNewlineStartsNone() throws IOException {
        assertTrue(read(new byte[0], 10).isEmpty());
        assertEquals(1, read("x\n".getBytes(StandardCharsets.UTF_8), 10).size());
    }

    @Test
    void badUtf8IsReplacedAndFlaggedOnItsLineOnly() throws IOException {
        byte[] bytes = {'o', 'k', '\n', 'b', (byte) 0xC3, '(', '\n', (byte) 0xE2, (byte) 0x82, (byte) 0xAC, '\n'};
        List<Utf8Lines.Line> lines = read(bytes, 100);
        assertFalse(lines.get(0).replaced());
        assertTrue(lines.get(1).replaced());
        assertEquals("b\uFFFD(", lines.get(1).text());
        assertEquals(new Utf8Lines.Line(3, "€", false, 7, true, 3, false), lines.get(2));
    }

    @Test
    void aLineOverTheLimitComesBackWithoutTextAndTheNextIsIntact() throws IOException {
        String big = "x".repeat(200_000);
        List<Utf8Lines.Line> lines = read((big + "\nafter\n" + "y".repeat(10)).getBytes(StandardCharsets.UTF_8),
                100_000);
        assertEquals(new Utf8Lines.Line(1, "", false, 0, true, 200_000, true), lines.get(0));
        assertEquals(new Utf8Lines.Line(2, "after", false, 200_001, true, 5, false), lines.get(1));
        assertEquals("y".repeat(10), lines.get(2).text());
        // Exactly at the limit is still a line with its text.
        assertEquals(100_000, read(("z".repeat(100_000) + "\n").getBytes(StandardCharsets.UTF_8), 100_000)
                .get(0).text().length());
    }

    /** A stream that hands out a few bytes a read, as a pipe or a file being written does. */
    private static InputStream trickling(byte[] bytes, Random random) {
        return new InputStream() {
            private int at;

            @Override
            public int read() {
                return at < bytes.length ? bytes[at++] & 0xFF : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (at >= bytes.length) {
                    return -1;
                }
                int n = Math.min(Math.min(len, 1 + random.nextInt(7)), bytes.length - at);
                System.arraycopy(bytes, at, b, off, n);
                at += n;
                return n;
            }
        };
    }

    /** Random files (multi-byte characters across block boundaries, bad bytes, long lines) against a plain split. */
    @Test
    void agreesWithSplittingTheWholeFileAtEachNewline() throws IOException {
        Random random = new Random(42);
        String[] pieces = {"a", "é", "€", "𝄞", "{\"k\":1}", "\r", " "};
        for (int round = 0; round < 200; round++) {
            ByteArrayOutputStream file = new ByteArrayOutputStream();
            int lineCount = random.nextInt(40);
            for (int i = 0; i < lineCount; i++) {
                int len = random.nextInt(10) == 0 ? 70_000 + random.nextInt(1_000) : random.nextInt(60);
                for (int j = 0; j < len; j++) {
                    if (random.nextInt(500) == 0) {
                        file.write(0x80 | random.nextInt(64));
                    } else {
                        file.writeBytes(pieces[random.nextInt(pieces.length)].getBytes(StandardCharsets.UTF_8));
                    }
                }
                if (i < lineCount - 1 || random.nextBoolean()) {
                    file.write('\n');
                }
            }
            byte[] bytes = file.toByteArray();
            int limit = 50_000 + random.nextInt(200_000);
            List<Utf8Lines.Line> expected = split(bytes, limit);
            assertEquals(expected, read(bytes, limit), "round " + round);
            assertEquals(expected, read(trickling(bytes, random), limit), "round " + round + ", trickling");
        }
    }

    /** The specification, spelt out over the whole file at once. */
    private static List<Utf8Lines.Line> split(byte[] bytes, int limit) {
        List<Utf8Lines.Line> out = new ArrayList<>();
        int start = 0;
        long number = 0;
        while (start < bytes.length) {
            int nl = start;
            while (nl < bytes.length && bytes[nl] != '\n') {
                nl++;
            }
            boolean ended = nl < bytes.length;
            int length = nl - start;
            number++;
            if (length > limit) {
                out.add(new Utf8Lines.Line(number, "", false, start, ended, length, true));
            } else {
                String lenient = new String(bytes, start, length, StandardCharsets.UTF_8);
                boolean bad = !java.util.Arrays.equals(lenient.getBytes(StandardCharsets.UTF_8),
                        java.util.Arrays.copyOfRange(bytes, start, nl));
                out.add(new Utf8Lines.Line(number, lenient, bad, start, ended, length, false));
            }
            start = nl + 1;
        }
        return out;
    }

    @Test
    void readsOnAfterTheEndWhenTheFileGrows(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws IOException {
        java.nio.file.Path file = dir.resolve("journal");
        java.nio.file.Files.writeString(file, "one\ntw");
        try (Utf8Lines lines = new Utf8Lines(java.nio.file.Files.newInputStream(file), 100)) {
            assertEquals("one", lines.next().text());
            assertEquals(new Utf8Lines.Line(2, "tw", false, 4, false, 2, false), lines.next());
            assertNull(lines.next());
            java.nio.file.Files.writeString(file, "three\n", java.nio.file.StandardOpenOption.APPEND);
            assertEquals(new Utf8Lines.Line(3, "three", false, 6, true, 5, false), lines.next());
        }
    }
}
