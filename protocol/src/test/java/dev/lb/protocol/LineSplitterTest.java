package dev.lb.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineSplitterTest {
    /** Records what the splitter emits, in order. */
    private static final class Recorder implements LineSplitter.Sink {
        final List<String> out = new ArrayList<>();

        @Override
        public void line(String line) {
            out.add(line);
        }

        @Override
        public void tooLong(String head, long lengthBytes) {
            out.add("TOO_LONG(" + lengthBytes + "):" + head);
        }
    }

    /** Each line with the splitter's word on its control characters, "C " when it saw one, "- " when not. */
    private static final class FlagRecorder implements LineSplitter.Sink {
        final List<String> out = new ArrayList<>();

        @Override
        public void line(String line) {
            throw new AssertionError("the splitter always says what it saw");
        }

        @Override
        public void line(String line, boolean controls) {
            out.add((controls ? "C " : "- ") + line);
        }

        @Override
        public void tooLong(String head, long lengthBytes) {
            out.add("TOO_LONG(" + lengthBytes + ")");
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void splitAtEveryByteGivesTheSameLines() {
        byte[] input = utf8("caf\u00e9 \ud83d\ude00\nsecond line\n\nLB_EVENT {\"a\":\"\u2603\"}\nlast");
        for (int cut = 0; cut <= input.length; cut++) {
            Recorder r = new Recorder();
            LineSplitter s = new LineSplitter(1024, r);
            s.feed(input, 0, cut);
            s.feed(input, cut, input.length - cut);
            assertEquals(List.of("caf\u00e9 \ud83d\ude00", "second line", "", "LB_EVENT {\"a\":\"\u2603\"}"), r.out,
                    "cut at " + cut);
            s.finish();
            assertEquals("last", r.out.get(4));
        }
    }

    /**
     * ASCII lines are made by a plain copy, any other by UTF-8 decoding: seeded random lines of ASCII, UTF-8, bytes
     * that are no UTF-8 and bytes with the high bit set (C1, Latin-1), fed whole and in random chunks, always come out
     * exactly as UTF-8 decoding each line makes them (U+FFFD for what is no UTF-8).
     */
    @Test
    void everyLineIsWhatUtf8DecodingMakesOfItWhateverItsBytes() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(20261207L);
        byte[][] pieces = {utf8("LB_EVENT {\"a\":1}"), utf8("caf\u00e9"), utf8("\ud83d\ude00"), {(byte) 0xc3},
            {(byte) 0x85}, {(byte) 0xff, (byte) 0xfe}, {0x7f}, {0}, utf8("plain ascii text "), {(byte) 0xe2, (byte) 0x80}};
        for (int round = 0; round < 2_000; round++) {
            java.io.ByteArrayOutputStream input = new java.io.ByteArrayOutputStream();
            List<String> expected = new ArrayList<>();
            for (int line = r.nextInt(1, 6); line > 0; line--) {
                java.io.ByteArrayOutputStream one = new java.io.ByteArrayOutputStream();
                for (int k = r.nextInt(4); k > 0; k--) {
                    one.writeBytes(pieces[r.nextInt(pieces.length)]);
                }
                expected.add(new String(one.toByteArray(), StandardCharsets.UTF_8));
                input.writeBytes(one.toByteArray());
                input.write('\n');
            }
            byte[] bytes = input.toByteArray();
            Recorder whole = new Recorder();
            new LineSplitter(1024, whole).feed(bytes, 0, bytes.length);
            assertEquals(expected, whole.out, "round " + round);
            Recorder chunked = new Recorder();
            LineSplitter s = new LineSplitter(1024, chunked);
            for (int at = 0; at < bytes.length; ) {
                int n = Math.min(bytes.length - at, r.nextInt(1, 12));
                s.feed(bytes, at, n);
                at += n;
            }
            assertEquals(expected, chunked.out, "round " + round);
        }
    }

    @Test
    void aLineOfExactlyTheLimitIsALineAndOneByteMoreIsTooLongWhetherWholeInAChunkOrNot() {
        byte[] input = utf8("1234\n12345\nok\n");
        for (int cut = 0; cut <= input.length; cut++) {
            Recorder r = new Recorder();
            LineSplitter s = new LineSplitter(4, r);
            s.feed(input, 0, cut);
            s.feed(input, cut, input.length - cut);
            assertEquals(List.of("1234", "TOO_LONG(5):1234", "ok"), r.out, "cut at " + cut);
        }
    }

    @Test
    void byteByByteFeeding() {
        byte[] input = utf8("a\nbb\nccc\n");
        Recorder r = new Recorder();
        LineSplitter s = new LineSplitter(1024, r);
        for (byte b : input) {
            s.feed(new byte[] {b}, 0, 1);
        }
        assertEquals(List.of("a", "bb", "ccc"), r.out);
        assertEquals(0, s.pendingBytes());
    }

    @Test
    void partialLastLineIsHeldUntilItsNewlineArrives() {
        Recorder r = new Recorder();
        LineSplitter s = new LineSplitter(1024, r);
        s.feed(utf8("done\npart"), 0, 9);
        assertEquals(List.of("done"), r.out);
        assertEquals(4, s.pendingBytes());
        s.feed(utf8("ial\n"), 0, 4);
        assertEquals(List.of("done", "partial"), r.out);
    }

    @Test
    void tooLongLineIsReportedWithItsLengthAndTheNextLineSurvives() {
        Recorder r = new Recorder();
        LineSplitter s = new LineSplitter(8, r);
        byte[] input = utf8("0123456789abcdef\nok\n");
        s.feed(input, 0, 5);
        s.feed(input, 5, input.length - 5);
        assertEquals(List.of("TOO_LONG(16):01234567", "ok"), r.out);
    }

    @Test
    void invalidUtf8BecomesReplacementCharacters() {
        Recorder r = new Recorder();
        LineSplitter s = new LineSplitter(64, r);
        byte[] input = {'a', (byte) 0xff, (byte) 0xc3, 'b', '\n'};
        s.feed(input, 0, input.length);
        assertEquals(List.of("a\ufffd\ufffdb"), r.out);
    }

    @Test
    void finishWithNothingPendingEmitsNothing() {
        Recorder r = new Recorder();
        LineSplitter s = new LineSplitter(64, r);
        s.feed(utf8("x\n"), 0, 2);
        s.finish();
        assertEquals(List.of("x"), r.out);
    }

    /**
     * A line is said to hold no control character only when none of its bytes is below 0x20 (what lets the extractor
     * skip its search for colour codes): seeded random lines with and without ESC, tabs and other controls, ASCII and
     * UTF-8, fed whole, in random chunks (a line's control in an earlier chunk than its newline) and through the
     * buffer of a line longer than a chunk, the last one ended by finish().
     */
    @Test
    void aLineIsSaidToHoldNoControlCharacterOnlyWhenNoneOfItsBytesIsBelow0x20() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(20261207L);
        String[] pieces = {"LB_EVENT {\"a\":1}", "caf\u00e9", "plain ascii text ", "\u001b[0;32m", "\u001b[0m", "\t",
            "\r", "\u0001", "\u001f", " ", "\u007f", "\u0085"};
        int withControls = 0;
        int without = 0;
        for (int round = 0; round < 2_000; round++) {
            StringBuilder input = new StringBuilder();
            List<String> expected = new ArrayList<>();
            int count = r.nextInt(1, 6);
            for (int line = 0; line < count; line++) {
                StringBuilder one = new StringBuilder();
                for (int k = r.nextInt(6); k > 0; k--) {
                    one.append(pieces[r.nextInt(pieces.length)]);
                }
                boolean controls = one.chars().anyMatch(ch -> ch < 0x20);
                if (controls) {
                    withControls++;
                } else {
                    without++;
                }
                expected.add((controls ? "C " : "- ") + one);
                input.append(one);
                if (line < count - 1 || one.length() == 0 || r.nextBoolean()) { // an empty last line needs its newline
                    input.append('\n');
                }
            }
            byte[] bytes = utf8(input.toString());
            FlagRecorder whole = new FlagRecorder();
            LineSplitter w = new LineSplitter(1024, whole);
            w.feed(bytes, 0, bytes.length);
            w.finish();
            assertEquals(expected, whole.out, "round " + round);
            FlagRecorder chunked = new FlagRecorder();
            LineSplitter s = new LineSplitter(1024, chunked);
            for (int at = 0; at < bytes.length; ) {
                int n = Math.min(bytes.length - at, r.nextInt(1, 12));
                s.feed(bytes, at, n);
                at += n;
            }
            s.finish();
            assertEquals(expected, chunked.out, "round " + round);
        }
        assertTrue(withControls > 1000 && without > 1000, withControls + " with controls, " + without + " without");
    }
}
