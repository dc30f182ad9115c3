package dev.lb.protocol;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;

/**
 * Escapes, besides what JSON requires, every character that some stage between the agent and the controller would
 * take for a line break or rewrite: DEL and the C1 controls (U+0085 NEL among them), U+2028, U+2029 and U+FEFF.
 * YAML dumpers (the Ansible YAML callback) treat NEL and U+2028/9 as line breaks and would fold the payload into a
 * block scalar, changing its text. Escaped, they survive as six ASCII characters. Bidi overrides and isolates are
 * escaped too, so JSON output read on a terminal cannot reorder the line it is on.
 */
final class LineSafeEscapes extends CharacterEscapes {
    private final int[] ascii;

    LineSafeEscapes() {
        ascii = standardAsciiEscapesForJSON();
        ascii[0x7f] = ESCAPE_STANDARD;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
        return ascii;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
        if ((ch >= 0x80 && ch <= 0x9f) || ch == 0x2028 || ch == 0x2029 || ch == 0xfeff
                || TerminalText.isBidiControl((char) ch)) {
            return new SerializedString(String.format("\\u%04x", ch));
        }
        return null;
    }
}
