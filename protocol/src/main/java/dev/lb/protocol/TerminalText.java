package dev.lb.protocol;

/**
 * Removes terminal control sequences from text that came from a target. Event text is untrusted: a log line must
 * not move the cursor, retitle the window, recolour the screen or clear it.
 *
 * <p>{@link #stripEscapes} removes ESC-introduced sequences (CSI, OSC, DCS/APC/PM/SOS strings, two-byte escapes)
 * and the 8-bit C1 forms; {@link #sanitize} also replaces every other control character so the text is one inert
 * display line.
 */
public final class TerminalText {
    private static final char ESC = '\u001b';
    private static final char BEL = '\u0007';

    private TerminalText() {
    }

    /**
     * Removes ESC-introduced sequences only (colour codes such as {@code ANSIBLE_FORCE_COLOR} adds). Used before
     * scanning for payloads: a raw ESC can never be part of valid JSON, whereas a raw C1 character can, so C1
     * characters are left alone here.
     */
    public static String stripAnsi(String s) {
        return s.indexOf(ESC) < 0 ? s : strip(s, false);
    }

    /** Removes escape sequences, 7-bit and 8-bit (C1), keeping every other character (tabs, newlines) as it is. */
    public static String stripEscapes(String s) {
        return strip(s, true);
    }

    private static boolean hasEscapes(String s, boolean c1) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c == ESC || (c1 && c >= '\u0080' && c <= '\u009f')) {
                return true;
            }
        }
        return false;
    }

    private static String strip(String s, boolean c1) {
        if (!hasEscapes(s, c1)) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        int n = s.length();
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            if (c == ESC) {
                i = skipEscape(s, i + 1);
            } else if (!c1 || c < '\u0080' || c > '\u009f') {
                out.append(c);
                i++;
            } else if (c == '\u009b') {
                i = skipCsi(s, i + 1);
            } else if (c == '\u009d' || c == '\u0090' || c == '\u009e' || c == '\u009f' || c == '\u0098') {
                i = skipString(s, i + 1);
            } else {
                i++;
            }
        }
        return out.toString();
    }

    /**
     * One inert display line: escape sequences removed, then CR, LF and tab become spaces and every other control
     * character (BEL, backspace, DEL, line/paragraph separators, bidi overrides and isolates) becomes U+FFFD so that
     * its presence stays visible.
     */
    public static String sanitize(String s) {
        String stripped = stripEscapes(s);
        StringBuilder out = null;
        for (int i = 0, n = stripped.length(); i < n; i++) {
            char c = stripped.charAt(i);
            char r = c;
            if (c == '\n' || c == '\r' || c == '\t') {
                r = ' ';
            } else if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029' || isBidiControl(c)) {
                r = '\ufffd';
            }
            if (r != c && out == null) {
                out = new StringBuilder(stripped.length()).append(stripped, 0, i);
            }
            if (out != null) {
                out.append(r);
            }
        }
        return out == null ? stripped : out.toString();
    }

    /**
     * Bidirectional formatting characters: a right-to-left override (U+202E) from a target would reverse the rest of
     * the line it is shown in, making one host's text look like another's.
     */
    static boolean isBidiControl(char c) {
        return c >= '\u202a' && c <= '\u202e' || c >= '\u2066' && c <= '\u2069' || c == '\u200e' || c == '\u200f'
                || c == '\u061c';
    }

    /** {@code i} is just after ESC; returns the index after the whole sequence. */
    private static int skipEscape(String s, int i) {
        if (i >= s.length()) {
            return i;
        }
        char c = s.charAt(i);
        return switch (c) {
            case '[' -> skipCsi(s, i + 1);
            case ']', 'P', 'X', '^', '_' -> skipString(s, i + 1);
            default -> {
                // nF escapes: intermediates 0x20-0x2F then one final byte (e.g. ESC ( B charset selection).
                int j = i;
                while (j < s.length() && s.charAt(j) >= 0x20 && s.charAt(j) <= 0x2f) {
                    j++;
                }
                yield Math.min(s.length(), j + 1);
            }
        };
    }

    /** Parameters 0x30-0x3F, intermediates 0x20-0x2F, one final byte 0x40-0x7E. */
    private static int skipCsi(String s, int i) {
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c >= 0x40 && c <= 0x7e) {
                return i + 1;
            }
            if (c < 0x20 || c > 0x7e) {
                return i; // not part of a CSI: the sequence was cut short, keep what follows
            }
            i++;
        }
        return i;
    }

    /** OSC/DCS-style strings end at BEL or ST (ESC \ or 0x9C); unterminated ones run to the end of the text. */
    private static int skipString(String s, int i) {
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c == BEL || c == '\u009c') {
                return i + 1;
            }
            if (c == ESC && i + 1 < n && s.charAt(i + 1) == '\\') {
                return i + 2;
            }
            i++;
        }
        return i;
    }
}
