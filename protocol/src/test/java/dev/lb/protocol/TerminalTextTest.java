package dev.lb.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Untrusted text shown on a terminal: nothing in it may act on the terminal or reorder what is displayed. */
class TerminalTextTest {
    /** No ESC, no C0/C1 control, no bidi control is left. */
    private static void assertInert(String s) {
        for (char c : s.toCharArray()) {
            assertTrue(c >= 0x20 && c != 0x7f && (c < 0x80 || c > 0x9f) && !TerminalText.isBidiControl(c),
                    "U+" + Integer.toHexString(c) + " left in " + s);
        }
    }

    @Test
    void escapeSequencesAreRemovedWhole() {
        assertEquals("red text", TerminalText.sanitize("\u001b[31mred\u001b[0m text"));
        assertEquals("title", TerminalText.sanitize("\u001b]0;evil\u0007title"));
        assertEquals("x", TerminalText.sanitize("\u009b2Jx"));
    }

    @Test
    void otherControlsStayVisibleAsReplacementCharacters() {
        assertEquals("a\ufffdb c", TerminalText.sanitize("a\u0008b\tc"));
        assertEquals("BLINK", TerminalText.sanitize("\u001b[5mBLINK"));
    }

    @Test
    void bidiOverridesAndIsolatesCannotReverseTheLine() {
        String s = TerminalText.sanitize("host-a \u202egnp.txe\u202c \u2066x\u2069 \u200f");
        assertInert(s);
        assertEquals("host-a \ufffdgnp.txe\ufffd \ufffdx\ufffd \ufffd", s);
    }

    @Test
    void sanitizingTwiceChangesNothingMore() {
        String hostile = "\u001b[2J\u0000\u0085\u202e\u2028done";
        String once = TerminalText.sanitize(hostile);
        assertInert(once);
        assertEquals(once, TerminalText.sanitize(once));
    }

    @Test
    void ordinaryTextIsLeftAlone() {
        String text = "fio: read: IOPS=12.3k, BW=48.1MiB/s — ok ✓ 日本語";
        assertEquals(text, TerminalText.sanitize(text));
    }
}
