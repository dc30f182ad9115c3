package dev.lb.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds every LB_EVENT payload in one line of any output that carries them: the agent's stream file, Ansible's
 * default, verbose and YAML stdout callbacks, loop items, with or without colour codes.
 *
 * <p>How: for each marker, look at the first key's opening quote after the {@code {}. The number of backslashes in
 * front of it says how many levels of string quoting the payload sits in (0 raw, 1 inside a JSON or YAML string,
 * 3 inside a string inside a string, ...). The object is then read with a scanner that knows strings and escapes
 * at that level, so braces, quotes, backslashes and even the marker inside string values do not end it early.
 * Scanning resumes after the object, which is why a marker quoted inside a payload's message is never taken for
 * a payload of its own. An object that never closes (a line cut without its newline, the next one glued on) is
 * rejected, and the next marker after it at the same quoting level is read as the event written after the cut.
 *
 * <p>Lines above {@code maxLineChars} are not scanned; one {@link RejectReason#LINE_TOO_LONG} is reported when they
 * contain the marker. Instances hold no state between lines and may be shared.
 */
public final class LbEventExtractor {
    public static final int DEFAULT_MAX_LINE_CHARS = 8 * 1024 * 1024;
    private static final String MARKER = EventEncoder.MARKER;
    /** How the agent starts every line: a line that is this and then one compact object is framed by CompactEvent. */
    private static final String PLAIN_START = MARKER + " {";
    private static final int SNIPPET = 80;
    private static final int MAX_LEVEL = 6;

    private final int maxLineChars;

    public LbEventExtractor() {
        this(DEFAULT_MAX_LINE_CHARS);
    }

    public LbEventExtractor(int maxLineChars) {
        if (maxLineChars < 64) {
            throw new IllegalArgumentException("maxLineChars must be at least 64, was " + maxLineChars);
        }
        this.maxLineChars = maxLineChars;
    }

    /** Every payload in the line, in order, decoded; an empty list for a line without the marker. */
    public List<Extraction> extract(String line) {
        List<Extraction> framed = frame(line);
        if (framed.isEmpty()) {
            return framed;
        }
        List<Extraction> out = new ArrayList<>(framed.size());
        for (Extraction x : framed) {
            out.add(x instanceof Extraction.Payload p ? p.decode() : x);
        }
        return out;
    }

    /**
     * As {@link #frame(String)}, reading a payload with nothing to judge with {@code compact} while framing it: the
     * line that is just the marker, one space and a payload (the agent's own lines, and the callback's echo of them)
     * in one pass instead of two, and a payload quoted once inside a string (a task result, a debug message) unquoted
     * in the same pass that finds its end; such a payload carries the identity read ({@link
     * Extraction.Payload#plainIdentity}). Every line is framed as {@link #frame(String)} frames it: the same payloads,
     * columns and snippets.
     */
    public List<Extraction> frame(String line, CompactEvent compact) {
        return frame(line, compact, true);
    }

    /**
     * As {@link #frame(String, CompactEvent)} for a line known to hold no ESC when {@code controls} is false (the
     * splitter saw no byte below 0x20, {@link LineSplitter.Sink#line(String, boolean)}): then no search for one.
     */
    public List<Extraction> frame(String line, CompactEvent compact, boolean controls) {
        if (line.startsWith(PLAIN_START) && line.length() <= maxLineChars) {
            IdentityProbe.Probe identity = compact.identity(line, PLAIN_START.length() - 1);
            if (identity != null) {
                return List.of(new Extraction.Payload(compact.json(), 1, identity, line, PLAIN_START.length() - 1));
            }
        }
        return frameAny(line, compact, controls);
    }

    /**
     * Every payload in the line, in order, framed but not decoded ({@link Extraction.Payload}), and what could not be
     * framed ({@link Extraction.Rejected}: a cut object, a marker followed by no object, an over-long line). Whoever
     * decodes the payloads decides when: the run decodes an event once, whichever path brought it first.
     */
    public List<Extraction> frame(String line) {
        return frameAny(line, null, true);
    }

    /**
     * Frames the line; {@code compact}, when given, reads once-quoted payloads with nothing to judge as it goes;
     * {@code controls} false for a line known to hold no ESC.
     */
    private List<Extraction> frameAny(String line, CompactEvent compact, boolean controls) {
        int marker = line.indexOf(MARKER);
        String text = line;
        if (controls) {
            if (marker < 0 && line.indexOf('\u001b') < 0) {
                return List.of();
            }
            text = TerminalText.stripAnsi(line);
            if (text != line) {
                marker = text.indexOf(MARKER);
            }
        }
        if (marker < 0) {
            return List.of();
        }
        if (text.length() > maxLineChars) {
            return List.of(new Extraction.Rejected(RejectReason.LINE_TOO_LONG,
                    "line of " + text.length() + " characters is over the limit of " + maxLineChars,
                    marker + 1, snippet(text, marker)));
        }
        List<Extraction> out = new ArrayList<>(2);
        scan(YamlSingleQuoted.unquote(text), out, compact);
        return out;
    }

    private void scan(String text, List<Extraction> out, CompactEvent compact) {
        int at = text.indexOf(MARKER);
        while (at >= 0) {
            int before = out.size();
            int next = scanOne(text, at, out, compact);
            int glued = gluedAfterCut(text, at, next < 0 ? text.length() : next, out, before);
            if (glued >= 0) {
                at = glued;
            } else if (next < 0) {
                return;
            } else {
                at = text.indexOf(MARKER, next);
            }
        }
    }

    /**
     * A line cut without its newline, the next line glued on: the object read at {@code at} never closes, or closes
     * only inside the glued one and is no JSON. A marker within it that opens an object quoted as this one is (a
     * marker inside one of its strings would be quoted once more, or be no object) is then the event written after
     * the cut: the cut one alone is rejected, and scanning goes on at that marker, whose position is returned; -1
     * when the object read is not a cut one.
     */
    private static int gluedAfterCut(String text, int at, int end, List<Extraction> out, int before) {
        if (out.size() != before + 1) {
            return -1;
        }
        Extraction x = out.get(before);
        if (x instanceof Extraction.Payload p && p.plainIdentity() != null) {
            return -1; // read by CompactEvent, so JSON the decoder accepts: whole, not cut (below, without a search)
        }
        boolean unclosed = x instanceof Extraction.Rejected r && r.reason() == RejectReason.TRUNCATED_JSON;
        if (!unclosed && !(x instanceof Extraction.Payload)) {
            return -1;
        }
        int level = levelAt(text, at);
        int m = text.indexOf(MARKER, at + MARKER.length());
        while (m >= 0 && m < end && levelAt(text, m) != level) {
            m = text.indexOf(MARKER, m + MARKER.length());
        }
        if (m < 0 || m >= end || (x instanceof Extraction.Payload p && isJson(p.json()))) {
            return -1;
        }
        out.set(before, new Extraction.Rejected(RejectReason.TRUNCATED_JSON, "cut: the object does not close before"
                + " the next LB_EVENT at column " + (m + 1), at + 1, snippet(text, at + MARKER.length())));
        return m;
    }

    private static boolean isJson(String json) {
        try {
            Json.MAPPER.readTree(json);
            return true;
        } catch (java.io.IOException e) {
            return false; // not JSON: the object spans a cut (the caller rejects it as such)
        }
    }

    /** The quoting level of the object after the marker at {@code at}; -1 when no object follows it. */
    private static int levelAt(String text, int at) {
        int q = at + MARKER.length();
        while (q < text.length() && (text.charAt(q) == ' ' || text.charAt(q) == '\t')) {
            q++;
        }
        return q < text.length() && text.charAt(q) == '{' ? quotingLevel(text, q + 1) : -1;
    }

    /** Reads the payload after the marker at {@code at}; returns where to look for the next marker, -1 for nowhere. */
    private int scanOne(String text, int at, List<Extraction> out, CompactEvent compact) {
        int n = text.length();
        int afterMarker = at + MARKER.length();
        int q = afterMarker;
        while (q < n && (text.charAt(q) == ' ' || text.charAt(q) == '\t')) {
            q++;
        }
        if (q >= n || text.charAt(q) != '{') {
            rejectNonObject(text, at, afterMarker, q, out);
            return afterMarker;
        }
        int level = quotingLevel(text, q + 1);
        if (level == 1 && compact != null) {
            // A loop item's "msg" is the payload its header held raw: then a comparison, not a second reading.
            IdentityProbe.Probe identity = compact.sameAsLastQuoted(text, q);
            if (identity == null) {
                identity = compact.identityQuoted(text, q);
            }
            if (identity != null) {
                out.add(new Extraction.Payload(compact.json(), at + 1, identity, text, q));
                return compact.end();
            }
        } else if (level == 0 && compact != null) {
            IdentityProbe.Probe identity = compact.identityWithin(text, q);
            if (identity != null) {
                out.add(new Extraction.Payload(compact.json(), at + 1, identity, text, q));
                return compact.end();
            }
        }
        return level == 0 ? scanRaw(text, at, q, out) : scanEscaped(text, at, q, level, out);
    }

    /**
     * A marker inside a line not followed by an object is usually just the word (a task named "Poll LB_EVENT
     * stream"); there it is a rejection only when something that looks like a payload follows it. A marker that
     * starts its line is where an emitter put an event: whatever follows that is not an object is a rejection.
     */
    private static void rejectNonObject(String text, int at, int afterMarker, int q, List<Extraction> out) {
        boolean startsLine = text.substring(0, at).isBlank();
        if (q >= text.length()) {
            if (q > afterMarker || startsLine) {
                out.add(new Extraction.Rejected(RejectReason.EMPTY_PAYLOAD, "nothing after the marker", at + 1, ""));
            }
            return;
        }
        char c = text.charAt(q);
        if (q == afterMarker && (Character.isLetterOrDigit(c) || c == '_')) {
            return; // a longer word (LB_EVENTS), not the marker
        }
        if (c == '[' || c == '"' || c == '-' || (c >= '0' && c <= '9')) {
            out.add(new Extraction.Rejected(RejectReason.NOT_AN_OBJECT,
                    "payload starts with '" + c + "', expected '{'", at + 1, snippet(text, q)));
        } else if (startsLine) {
            out.add(new Extraction.Rejected(RejectReason.NO_JSON, "the marker starts the line but no JSON object"
                    + " follows it", at + 1, snippet(text, q)));
        }
    }

    /**
     * Counts the backslashes before the first key's quote: 2^level - 1 of them mean the payload is quoted
     * {@code level} times. Escaped whitespace between the brace and the key (pretty-printed JSON in a string) is
     * skipped. Anything else is level 0, and the JSON parser says what is wrong with it.
     */
    static int quotingLevel(String text, int from) {
        int n = text.length();
        int i = from;
        while (i < n) {
            char c = text.charAt(i);
            if (c == ' ' || c == '\t') {
                i++;
                continue;
            }
            if (c != '\\') {
                return 0;
            }
            int k = 0;
            while (i < n && text.charAt(i) == '\\') {
                k++;
                i++;
            }
            if (i >= n) {
                return 0;
            }
            char e = text.charAt(i);
            if (e == '"') {
                int level = Integer.numberOfTrailingZeros(k + 1);
                return (k + 1) == (1 << level) && level <= MAX_LEVEL ? level : 0;
            }
            if (e == 'n' || e == 't' || e == 'r') {
                i++;
                continue;
            }
            return 0;
        }
        return 0;
    }

    private int scanRaw(String text, int at, int open, List<Extraction> out) {
        int n = text.length();
        int depth = 0;
        boolean inString = false;
        for (int j = open; j < n; j++) {
            char c = text.charAt(j);
            if (inString) {
                if (c == '\\') {
                    j++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                if (--depth == 0) {
                    framed(text.substring(open, j + 1), text, at, open, out);
                    return j + 1;
                }
            }
        }
        out.add(truncated(text, at, open, "the line ends " + (n - open) + " characters after '{' inside the object"));
        return -1;
    }

    private int scanEscaped(String text, int at, int open, int level, List<Extraction> out) {
        EscapedText.Raw raw = new EscapedText.Raw(text, open);
        EscapedText.Level in = raw;
        for (int k = 0; k < level; k++) {
            in = new EscapedText.Unescaped(in);
        }
        StringBuilder json = new StringBuilder(256);
        int depth = 0;
        boolean inString = false;
        boolean escape = false;
        while (true) {
            int c = in.next();
            if (c == EscapedText.END) {
                out.add(truncated(text, at, open, "the line ends inside the object (quoted " + level + "x)"));
                return -1;
            }
            if (c == EscapedText.CLOSED) {
                out.add(truncated(text, at, open, "the enclosing string closes before the object does"));
                return raw.position();
            }
            if (c == EscapedText.BAD_ESCAPE) {
                out.add(new Extraction.Rejected(RejectReason.MALFORMED_JSON,
                        "invalid escape sequence near column " + raw.position(), at + 1, snippet(text, open)));
                return raw.position();
            }
            char ch = (char) c;
            json.append(ch);
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
            } else if (ch == '{' || ch == '[') {
                depth++;
            } else if ((ch == '}' || ch == ']') && --depth == 0) {
                framed(json.toString(), text, at, open, out);
                return raw.position();
            }
        }
    }

    private static void framed(String json, String text, int at, int open, List<Extraction> out) {
        out.add(new Extraction.Payload(json, at + 1, null, text, open));
    }

    private static Extraction.Rejected truncated(String text, int at, int open, String detail) {
        return new Extraction.Rejected(RejectReason.TRUNCATED_JSON, detail, at + 1, snippet(text, open));
    }

    static String snippet(String text, int from) {
        int end = Math.min(text.length(), from + SNIPPET);
        String s = TerminalText.sanitize(text.substring(from, end));
        return end < text.length() ? s + "..." : s;
    }
}
