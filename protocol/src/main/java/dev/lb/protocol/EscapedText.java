package dev.lb.protocol;

/**
 * Reads a payload that sits inside one or more levels of string quoting, undoing one level of escapes per level.
 * JSON string escapes are read, and the extra escapes of YAML double-quoted scalars ({@code \x41}, {@code \e},
 * {@code \U0001F600}, ...), so that both {@code "msg": "LB_EVENT {\"host\": ...}"} and the YAML callback's
 * double-quoted form decode the same way.
 */
final class EscapedText {
    /** Returned by {@link Level#next()} at the end of the line. */
    static final int END = -1;
    /** Returned when the string that encloses the payload closes: the payload was cut short inside it. */
    static final int CLOSED = -2;
    /** Returned at an escape that no known syntax defines. */
    static final int BAD_ESCAPE = -3;

    private EscapedText() {
    }

    /** A source of decoded characters. */
    interface Level {
        int next();
    }

    /** The line as it is. */
    static final class Raw implements Level {
        private final String s;
        private int i;

        Raw(String s, int from) {
            this.s = s;
            this.i = from;
        }

        @Override
        public int next() {
            return i < s.length() ? s.charAt(i++) : END;
        }

        int position() {
            return i;
        }
    }

    /** One level of string escaping removed from the level below. */
    static final class Unescaped implements Level {
        private final Level in;
        private int pendingLow = -1;

        Unescaped(Level in) {
            this.in = in;
        }

        @Override
        public int next() {
            if (pendingLow >= 0) {
                int c = pendingLow;
                pendingLow = -1;
                return c;
            }
            int c = in.next();
            if (c < 0) {
                return c;
            }
            if (c == '"') {
                return CLOSED;
            }
            if (c != '\\') {
                return c;
            }
            int e = in.next();
            if (e < 0) {
                return e;
            }
            return switch (e) {
                case '"', '\\', '/', '\'' -> e;
                case 'n' -> '\n';
                case 't', '\t' -> '\t';
                case 'r' -> '\r';
                case 'b' -> '\b';
                case 'f' -> '\f';
                case 'e' -> 0x1b;
                case '0' -> 0;
                case 'a' -> 7;
                case 'v' -> 0x0b;
                case ' ' -> ' ';
                case 'N' -> 0x85;
                case '_' -> 0xa0;
                case 'L' -> 0x2028;
                case 'P' -> 0x2029;
                case 'x' -> hex(2);
                case 'u' -> hex(4);
                case 'U' -> codePoint(hex(8));
                default -> BAD_ESCAPE;
            };
        }

        private int hex(int digits) {
            int v = 0;
            for (int k = 0; k < digits; k++) {
                int c = in.next();
                int d = Character.digit(c < 0 ? 0 : c, 16);
                if (c < 0) {
                    return c;
                }
                if (d < 0) {
                    return BAD_ESCAPE;
                }
                v = v * 16 + d;
            }
            return v;
        }

        private int codePoint(int cp) {
            if (cp < 0 || cp <= 0xffff) {
                return cp;
            }
            if (cp > Character.MAX_CODE_POINT) {
                return BAD_ESCAPE;
            }
            pendingLow = Character.lowSurrogate(cp);
            return Character.highSurrogate(cp);
        }
    }
}
