package dev.lb.protocol;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The common payload read in one pass over its text, without a parser or a tree: a flat, compact JSON object (no
 * space outside strings; every value a string, an integer, a plain decimal, true, false or null) that has a
 * {@code seq}, that {@link EventDecoder} accepts, and whose text is already exactly what {@link Json#line} prints for
 * it. Our own emitters write every status and log event so; reading them this way is what lets {@code lb events parse}
 * keep up with its input.
 *
 * <p>For such a payload {@link #identity} answers what the full path would: the decoder accepts it, {@link
 * IdentityProbe} reads the same identity fields and the decoded event has that identity, and the event's line is the
 * payload's text unchanged. Everything else is {@code null} and goes to the decoder: a nested value, whitespace, an
 * escape or a number the writer would spell differently ({@code \/}, {@code \u0041}, {@code -0}, {@code 0.5},
 * {@code 1e3}), a character it would escape, a duplicate key, a field the decoder would reject or accept only after
 * converting it ({@code "repetition": "3"}), no seq. So the decoder stays the only judge of what is wrong with a
 * payload: this never rejects anything, it only recognizes payloads with nothing to judge.
 *
 * <p>An instance keeps scratch space and the last payload's strings between calls: one per thread.
 */
public final class CompactEvent {
    /** Past these, Jackson's read constraints could refuse what this would accept; such payloads are never common. */
    private static final int MAX_CHARS = 1 << 20;
    private static final int MAX_OTHER_FIELDS = 32;
    private static final int MAX_KEY_CHARS = 256;
    private static final int MAX_NUMBER_CHARS = 64;

    private static final String[] KNOWN = {"v", "run_id", "host", "workload", "repetition", "status",
        "total_repetitions", "type", "level", "message", "ts", "src", "seq", "error_type", "error_context"};
    /** The same names as arrays: compared with the scratch array without a String's per-character checks. */
    private static final char[][] KNOWN_CHARS = Arrays.stream(KNOWN).map(String::toCharArray).toArray(char[][]::new);
    private static final char[] NULL_WORD = "null".toCharArray();
    private static final char[] TRUE_WORD = "true".toCharArray();
    private static final char[] FALSE_WORD = "false".toCharArray();
    private static final int V = 0;
    private static final int RUN_ID = 1;
    private static final int HOST = 2;
    private static final int WORKLOAD = 3;
    private static final int REPETITION = 4;
    private static final int STATUS = 5;
    private static final int TOTAL_REPETITIONS = 6;
    private static final int TYPE = 7;
    private static final int LEVEL = 8;
    private static final int MESSAGE = 9;
    private static final int TS = 10;
    private static final int SRC = 11;
    private static final int SEQ = 12;
    private static final int ERROR_TYPE = 13;
    private static final int ERROR_CONTEXT = 14;

    /** The values of status, type and level the decoder accepts, any case: what their parse methods accept. */
    private static final String[] STATUSES = accepted(EventStatus.values(), EventStatus::parse);
    private static final String[] TYPES = accepted(EventType.values(), EventType::parse);
    private static final String[] LEVELS = accepted(EventLevel.values(), EventLevel::parse, "WARN");

    /** What a value is, as far as the decoder's rules care. */
    private static final byte ABSENT = 0;
    private static final byte NULL = 1;
    private static final byte STRING = 2;
    private static final byte ESCAPED_STRING = 3;
    private static final byte INTEGER = 4;
    private static final byte DECIMAL = 5;
    private static final byte BOOLEAN = 6;

    /** The payload's characters: scanning an array is cheaper than asking a String for each character. */
    private char[] c = new char[1024];
    private int n;
    /** Where each known field's value is, and what it is. */
    private final byte[] kind = new byte[KNOWN.length];
    private final int[] from = new int[KNOWN.length];
    private final int[] to = new int[KNOWN.length];
    /** The other keys, to find a duplicate among them (a known key cannot equal an unknown one). */
    private final int[] otherFrom = new int[MAX_OTHER_FIELDS];
    private final int[] otherLength = new int[MAX_OTHER_FIELDS];
    /**
     * The string fields of the last payload: the next one nearly always has the same run, host, workload, src,
     * status, type and level, and then gets the same String instances instead of copies (and no second look).
     */
    private final String[] lastText = new String[KNOWN.length];
    private int end;
    /** The first window of a payload's text copied for a scan: most payloads are a few hundred characters. */
    private static final int WINDOW = 2048;
    /** The quoted text of {@link #identityQuoted}, copied at once: scanning an array beats charAt. */
    private char[] quoted = new char[1024];
    /**
     * The identity of the payload whose text {@code c[0..n)} holds, null when the last call recognized nothing (or
     * {@code c} was written over since); its text as a String once {@link #json()} made it.
     */
    private IdentityProbe.Probe last;
    private String lastJson;
    /** Where that text was read raw (a substring of it is cheaper than a String of c), or null when unquoted. */
    private String lastSource;
    private int lastFrom;

    /** Holds scratch space for the payload being read: one instance per thread. */
    public CompactEvent() {
    }

    /** The identity fields of a payload with nothing to judge (see the class comment); null when the decoder must. */
    public IdentityProbe.Probe identity(String json) {
        return identity(json, 0);
    }

    /** The same for the payload that is the rest of {@code line} from {@code start} on. */
    public IdentityProbe.Probe identity(String line, int start) {
        int length = line.length() - start;
        if (length < 2 || length > MAX_CHARS) {
            return null;
        }
        if (c.length < length) {
            c = new char[Math.max(length, 2 * c.length)];
        }
        line.getChars(start, line.length(), c, 0);
        n = length;
        lastSource = line;
        lastFrom = start;
        return recognized(c[0] == '{' && c[n - 1] == '}' && scanned() ? judged() : null);
    }

    /**
     * The same for a payload in {@code text} whose object opens at {@code open} and may be followed by other text (a
     * loop item's header, {@code (item=LB_EVENT {...}) => {}): a flat object ends at its first brace outside a string,
     * so its end is found by the same scan. {@link #end()} then says where it ended.
     */
    public IdentityProbe.Probe identityWithin(String text, int open) {
        int limit = Math.min(text.length(), open + MAX_CHARS) - open;
        int copied = 0;
        boolean inString = false;
        last = null; // c is written over from here on
        for (int i = 0; ; i++) {
            if (i >= copied && copied < limit) {
                copied = moreOfC(text, open, copied, limit);
            }
            if (i >= copied) {
                return null;
            }
            char ch = c[i];
            if (inString) {
                if (ch == '\\') {
                    i++;
                } else if (ch == '"') {
                    inString = false;
                }
            } else if (ch == '"') {
                inString = true;
            } else if (ch == '}') {
                n = i + 1;
                end = open + n;
                lastSource = text;
                lastFrom = open;
                return recognized(c[0] == '{' && n >= 2 && scanned() ? judged() : null);
            }
        }
    }

    /**
     * Copies more of the text after {@code open} into {@code c}, twice as much each time: only as far as the scan
     * gets (a -v task result is one line of megabytes holding thousands of payloads). Returns how much is copied.
     */
    private int moreOfC(String text, int open, int copied, int limit) {
        int more = Math.min(limit, Math.max(2 * copied, WINDOW));
        if (c.length < more) {
            c = Arrays.copyOf(c, Math.max(more, 2 * c.length));
        }
        text.getChars(open + copied, open + more, c, copied);
        return more;
    }

    /** The same for {@code quoted}. */
    private int moreOfQuoted(String text, int open, int copied, int limit) {
        int more = Math.min(limit, Math.max(2 * copied, WINDOW));
        if (quoted.length < more) {
            quoted = Arrays.copyOf(quoted, Math.max(more, 2 * quoted.length));
        }
        text.getChars(open + copied, open + more, quoted, copied);
        return more;
    }

    /**
     * The same for a payload that sits once quoted in {@code text}, inside a JSON or YAML double-quoted string (as
     * Ansible prints a task's result, {@code "msg": "LB_EVENT {\"v\":1,...}"}), its object opening at {@code open}:
     * one level of escapes is undone into scratch space in the same pass that finds the object's end, so the
     * payload's text is made once ({@link #json()}) and where it ended in {@code text} is {@link #end()}.
     * Only the escapes JSON defines are read here, and a flat object only; anything else (a YAML-only escape, a
     * nested value, the enclosing string closing first) is null, left to the extractor's full reading.
     */
    public IdentityProbe.Probe identityQuoted(String text, int open) {
        int limit = Math.min(text.length(), open + 2 * MAX_CHARS) - open;
        int copied = 0;
        int w = 0;
        last = null; // c is written over from here on
        boolean inString = false;
        boolean escape = false;
        for (int i = 0; ; i++) {
            // An escape reads up to 5 characters past i (a \\uXXXX): have them copied, or the whole rest.
            if (i + 6 >= copied && copied < limit) {
                copied = moreOfQuoted(text, open, copied, limit);
            }
            if (i >= copied) {
                return null;
            }
            char ch = quoted[i];
            if (ch == '"') {
                return null; // the enclosing string closes before the object does
            }
            if (ch == '\\') {
                if (++i >= copied) {
                    return null;
                }
                char e = quoted[i];
                switch (e) {
                    case '"', '\\', '/' -> ch = e;
                    case 'n' -> ch = '\n';
                    case 't' -> ch = '\t';
                    case 'r' -> ch = '\r';
                    case 'b' -> ch = '\b';
                    case 'f' -> ch = '\f';
                    case 'u' -> {
                        if (i + 4 >= copied) {
                            return null;
                        }
                        int v = 0;
                        for (int k = 1; k <= 4; k++) {
                            int d = Character.digit(quoted[i + k], 16);
                            if (d < 0) {
                                return null;
                            }
                            v = v * 16 + d;
                        }
                        ch = (char) v;
                        i += 4;
                    }
                    default -> {
                        return null;
                    }
                }
            }
            if (w == c.length) {
                c = Arrays.copyOf(c, 2 * c.length);
            }
            c[w++] = ch;
            if (inString) {
                if (escape) {
                    escape = false;
                } else if (ch == '\\') {
                    escape = true;
                } else if (ch == '"') {
                    inString = false;
                }
            } else if (ch == '"') {
                inString = true;
            } else if (ch == '}') {
                // A flat object ends at its first brace outside a string; a nested one is no business of this.
                n = w;
                end = open + i + 1;
                lastSource = null;
                return recognized(c[0] == '{' && n >= 2 && n <= MAX_CHARS && scanned() ? judged() : null);
            }
        }
    }

    /**
     * The same as {@link #identityQuoted} for a payload that is, once unquoted, the very text the last call
     * recognized, and nothing else: then it answers the same identity without reading the payload again, and {@link
     * #json()} gives the same String. In a loop item's output each payload comes twice in a row (raw in the item's
     * header, quoted in {@code "msg"}): the second sighting costs a comparison. The escapes are undone exactly as
     * {@link #identityQuoted} undoes them, so whatever this answers that one would have answered too; null when the
     * text differs anywhere (or nothing was recognized last), and then {@code identityQuoted} reads it.
     */
    public IdentityProbe.Probe sameAsLastQuoted(String text, int open) {
        if (last == null) {
            return null;
        }
        int length = text.length();
        int limit = length - open <= 2 * MAX_CHARS ? length : open + 2 * MAX_CHARS;
        int i = open;
        for (int j = 0; j < n; j++) {
            if (i >= limit) {
                return null;
            }
            char ch = text.charAt(i++);
            if (ch == '"') {
                return null; // the enclosing string closes here
            }
            if (ch == '\\') {
                if (i >= limit) {
                    return null;
                }
                char e = text.charAt(i++);
                switch (e) {
                    case '"', '\\', '/' -> ch = e;
                    case 'n' -> ch = '\n';
                    case 't' -> ch = '\t';
                    case 'r' -> ch = '\r';
                    case 'b' -> ch = '\b';
                    case 'f' -> ch = '\f';
                    case 'u' -> {
                        if (i + 3 >= limit) {
                            return null;
                        }
                        int v = 0;
                        for (int k = 0; k < 4; k++) {
                            int d = Character.digit(text.charAt(i + k), 16);
                            if (d < 0) {
                                return null;
                            }
                            v = v * 16 + d;
                        }
                        ch = (char) v;
                        i += 4;
                    }
                    default -> {
                        return null;
                    }
                }
            }
            if (ch != c[j]) {
                return null;
            }
        }
        end = i;
        return last;
    }

    /**
     * After a call answered an identity: the payload's text (unquoted), made once, so the same payload seen again
     * ({@link #sameAsLastQuoted}) is the same String.
     */
    public String json() {
        if (lastJson == null) {
            lastJson = lastSource != null ? lastSource.substring(lastFrom, lastFrom + n) : new String(c, 0, n);
        }
        return lastJson;
    }

    private IdentityProbe.Probe recognized(IdentityProbe.Probe probe) {
        last = probe;
        lastJson = null;
        if (probe == null) {
            lastSource = null; // not kept alive for nothing
        }
        return probe;
    }

    /** After {@link #identityQuoted} or {@link #identityWithin} answered: where the payload ended (past its brace). */
    public int end() {
        return end;
    }

    /** Reads the object's keys and values into kind/from/to; false for anything but a flat, compact object. */
    private boolean scanned() {
        Arrays.fill(kind, ABSENT);
        int others = 0;
        int i = 1;
        while (true) {
            // "key":
            if (i >= n || c[i] != '"') {
                return false;
            }
            int k = i + 1;
            int keyEnd = k;
            while (keyEnd < n && c[keyEnd] != '"') {
                char ch = c[keyEnd];
                if (ch < 0x20 || ch > 0x7e || ch == '\\') {
                    return false;
                }
                keyEnd++;
            }
            int length = keyEnd - k;
            if (keyEnd + 1 >= n || c[keyEnd + 1] != ':' || length > MAX_KEY_CHARS) {
                return false;
            }
            int known = known(k, length);
            if (known >= 0) {
                if (kind[known] != ABSENT) {
                    return false; // a duplicate key: the decoder's to reject
                }
            } else {
                for (int f = 0; f < others; f++) {
                    if (otherLength[f] == length && Arrays.equals(c, otherFrom[f], otherFrom[f] + length, c, k,
                            k + length)) {
                        return false;
                    }
                }
                if (others == MAX_OTHER_FIELDS) {
                    return false;
                }
                otherFrom[others] = k;
                otherLength[others] = length;
                others++;
            }
            // the value
            int v = keyEnd + 2;
            if (v >= n) {
                return false;
            }
            char first = c[v];
            byte what;
            int end;
            int valueFrom = v;
            int valueTo;
            if (first == '"') {
                int closed = stringEnd(v + 1);
                if (closed < 0) {
                    return false;
                }
                what = (closed & 1) != 0 ? ESCAPED_STRING : STRING;
                valueFrom = v + 1;
                valueTo = closed >> 1;
                end = valueTo + 1; // past the closing quote
            } else if (first == '-' || (first >= '0' && first <= '9')) {
                int number = numberEnd(v);
                if (number < 0) {
                    return false;
                }
                what = (number & 1) != 0 ? DECIMAL : INTEGER;
                end = number >> 1;
                valueTo = end;
            } else if (word(v, NULL_WORD)) {
                what = NULL;
                end = v + 4;
                valueTo = end;
            } else if (word(v, TRUE_WORD)) {
                what = BOOLEAN;
                end = v + 4;
                valueTo = end;
            } else if (word(v, FALSE_WORD)) {
                what = BOOLEAN;
                end = v + 5;
                valueTo = end;
            } else {
                return false; // an object, an array, whitespace or something the decoder must judge
            }
            if (known >= 0) {
                kind[known] = what;
                from[known] = valueFrom;
                to[known] = valueTo;
            }
            if (end >= n) {
                return false;
            }
            char next = c[end];
            if (next == '}') {
                return end == n - 1; // nothing may follow the object
            }
            if (next != ',') {
                return false;
            }
            i = end + 1;
        }
    }

    /** The decoder's rules, for the plain forms only; null wherever it would reject, convert or must decide. */
    private IdentityProbe.Probe judged() {
        if (!(absent(V) || (kind[V] == INTEGER && to[V] - from[V] == 1 && c[from[V]] == '1'))) {
            return null;
        }
        if (kind[HOST] != STRING || to[HOST] == from[HOST] || kind[WORKLOAD] != STRING
                || to[WORKLOAD] == from[WORKLOAD]) {
            return null;
        }
        long repetition = nonNegative(REPETITION);
        if (repetition < 0 || repetition > Integer.MAX_VALUE) {
            return null;
        }
        if (kind[STATUS] != STRING || !oneOf(STATUS, STATUSES)) {
            return null;
        }
        if (!absent(TOTAL_REPETITIONS)) {
            long total = nonNegative(TOTAL_REPETITIONS);
            if (total < 0 || total > Integer.MAX_VALUE) {
                return null;
            }
        }
        if (!absent(TYPE) && (kind[TYPE] != STRING || !oneOf(TYPE, TYPES))) {
            return null;
        }
        if (!absent(LEVEL) && (kind[LEVEL] != STRING || !oneOf(LEVEL, LEVELS))) {
            return null;
        }
        if (!optionalString(MESSAGE) || !optionalString(ERROR_TYPE)) {
            return null;
        }
        if (!absent(TS) && kind[TS] != INTEGER && kind[TS] != DECIMAL) {
            return null;
        }
        if (!absent(ERROR_CONTEXT)) {
            return null; // an object is nested, anything else the decoder rejects
        }
        // The identity fields are compared as text: an escape in one would need unescaping first.
        if (!(absent(RUN_ID) || kind[RUN_ID] == STRING) || !(absent(SRC) || kind[SRC] == STRING)) {
            return null;
        }
        long seq = nonNegative(SEQ);
        if (seq < 1) {
            return null; // no seq: the identity is the whole payload, which needs the tree; seq 0 the decoder rejects
        }
        return new IdentityProbe.Probe(text(RUN_ID), text(HOST), text(WORKLOAD), (int) repetition, text(SRC), seq);
    }

    private boolean absent(int field) {
        return kind[field] == ABSENT || kind[field] == NULL;
    }

    private boolean optionalString(int field) {
        return absent(field) || kind[field] == STRING || kind[field] == ESCAPED_STRING;
    }

    /** A string field's text (it has no escape, see the callers), null when absent or null. */
    private String text(int field) {
        if (absent(field)) {
            return null;
        }
        int length = to[field] - from[field];
        String last = lastText[field];
        if (last != null && last.length() == length) {
            int i = 0;
            while (i < length && last.charAt(i) == c[from[field] + i]) {
                i++;
            }
            if (i == length) {
                return last;
            }
        }
        return lastText[field] = new String(c, from[field], length);
    }

    /** Whether a string field's text is one of {@code names}, ignoring case as {@link String#equalsIgnoreCase}. */
    private boolean oneOf(int field, String[] names) {
        String last = lastText[field];
        String value = text(field);
        if (value == last) {
            return true; // the same text as last time, which was one of them (a value that was not is never kept)
        }
        for (String name : names) {
            if (name.equalsIgnoreCase(value)) {
                return true;
            }
        }
        lastText[field] = null;
        return false;
    }

    /** A JSON integer of at most 18 digits without a sign, or -1. */
    private long nonNegative(int field) {
        if (kind[field] != INTEGER || c[from[field]] == '-' || to[field] - from[field] > 18) {
            return -1;
        }
        long value = 0;
        for (int i = from[field]; i < to[field]; i++) {
            value = value * 10 + (c[i] - '0');
        }
        return value;
    }

    private boolean word(int at, char[] word) {
        int length = word.length;
        return at + length <= n && Arrays.equals(c, at, at + length, word, 0, length);
    }

    /**
     * The index of the closing quote of a string starting at {@code i}, shifted left by one, the low bit set when the
     * string holds an escape; -1 when the string holds anything the writer would spell differently: escapes other
     * than the short ones it writes itself, characters it escapes (controls, DEL, C1, U+2028/9, U+FEFF, bidi
     * controls), surrogates.
     */
    private int stringEnd(int i) {
        int escaped = 0;
        while (i < n) {
            char ch = c[i];
            if (ch == '"') {
                return (i << 1) | escaped;
            }
            if (ch == '\\') {
                if (i + 1 >= n) {
                    return -1;
                }
                char e = c[i + 1];
                if (e != '"' && e != '\\' && e != 'n' && e != 't' && e != 'r' && e != 'b' && e != 'f') {
                    return -1;
                }
                escaped = 1;
                i += 2;
                continue;
            }
            if (ch < 0x20 || ch == 0x7f || (ch >= 0x80 && writerEscapes(ch))) {
                return -1;
            }
            i++;
        }
        return -1;
    }

    /** Non-ASCII characters the line writer escapes ({@link LineSafeEscapes}); surrogates are left to Jackson. */
    private static boolean writerEscapes(char ch) {
        return ch <= 0x9f || ch == '\u2028' || ch == '\u2029' || ch == '\ufeff' || TerminalText.isBidiControl(ch)
                || Character.isSurrogate(ch);
    }

    /**
     * The end of a number starting at {@code i} that the writer prints back unchanged, shifted left by one, the low
     * bit set for a decimal: an integer of up to 18 digits other than -0, or a decimal with a point whose integer part
     * is not 0 (so that BigDecimal prints it plainly), no exponent. -1 for anything else.
     */
    private int numberEnd(int i) {
        int start = i;
        if (c[i] == '-') {
            i++;
        }
        int digits = i;
        int decimal = 0;
        while (i < n && c[i] >= '0' && c[i] <= '9') {
            i++;
        }
        int intDigits = i - digits;
        if (intDigits == 0 || (intDigits > 1 && c[digits] == '0')) {
            return -1;
        }
        if (i < n && c[i] == '.') {
            if (c[digits] == '0') {
                return -1;
            }
            int fraction = ++i;
            while (i < n && c[i] >= '0' && c[i] <= '9') {
                i++;
            }
            if (i == fraction) {
                return -1;
            }
            decimal = 1;
        } else if (intDigits > 18 || (c[start] == '-' && c[digits] == '0')) {
            return -1;
        }
        if (i - start > MAX_NUMBER_CHARS || (i < n && (c[i] == 'e' || c[i] == 'E'))) {
            return -1;
        }
        return (i << 1) | decimal;
    }

    /** Which known field a key is, by its length first (at most two names share one), or -1. */
    private int known(int at, int length) {
        int field = switch (length) {
            case 1 -> V;
            case 2 -> TS;
            case 3 -> c[at + 1] == 'r' ? SRC : SEQ;
            case 4 -> c[at] == 'h' ? HOST : TYPE;
            case 5 -> LEVEL;
            case 6 -> c[at] == 'r' ? RUN_ID : STATUS;
            case 7 -> MESSAGE;
            case 8 -> WORKLOAD;
            case 10 -> c[at] == 'r' ? REPETITION : ERROR_TYPE;
            case 13 -> ERROR_CONTEXT;
            case 17 -> TOTAL_REPETITIONS;
            default -> -1;
        };
        return field >= 0 && word(at, KNOWN_CHARS[field]) ? field : -1;
    }

    /** The wire names (and aliases) that {@code parse} accepts: only those, whatever is added to either later. */
    private static <E extends Enum<E>> String[] accepted(E[] values, Function<String, Optional<E>> parse,
                                                         String... aliases) {
        return Stream.concat(Arrays.stream(values).map(v -> v.name().toLowerCase(Locale.ROOT)), Arrays.stream(aliases))
                .filter(name -> parse.apply(name).isPresent())
                .toArray(String[]::new);
    }
}
