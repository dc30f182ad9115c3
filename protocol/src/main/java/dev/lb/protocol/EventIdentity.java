package dev.lb.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.Iterator;

/**
 * Which sightings are the same event. With {@code seq}: (run_id, host, workload, repetition, src, seq). Without:
 * the whole payload in canonical form (keys sorted at every level), so two distinct events with the same text are
 * only merged when every field agrees, and the same event re-serialized with other spacing or key order is one.
 *
 * <p>The key is a string so it can be hashed, stored or compared without knowing which form it is.
 */
public record EventIdentity(String key) {

    public static EventIdentity of(Event e) {
        if (e.seq() != null) {
            return ofSeq(e.runId(), e.host(), e.workload(), e.repetition(), e.src(), e.seq());
        }
        StringBuilder sb = new StringBuilder(256).append("payload\u0000");
        canonical(e.payload(), sb);
        return new EventIdentity(sb.toString());
    }

    /**
     * The whole payload in canonical form (keys sorted at every level): two sightings of one identity are the same
     * event only when this agrees.
     */
    public static String canonicalPayload(Event e) {
        StringBuilder sb = new StringBuilder(256);
        canonical(e.payload(), sb);
        return sb.toString();
    }

    /** The identity of an event with seq, from its identity fields alone (see {@link IdentityProbe}). */
    public static EventIdentity ofSeq(String runId, String host, String workload, int repetition, String src, long seq) {
        StringBuilder sb = new StringBuilder(64);
        sb.append("seq\u0000");
        part(sb, runId);
        part(sb, host);
        part(sb, workload);
        sb.append(repetition).append('\u0000');
        part(sb, src);
        sb.append(seq);
        return new EventIdentity(sb.toString());
    }

    /** Length-prefixed, so no value can forge a separator and an absent field differs from any string. */
    private static void part(StringBuilder sb, String s) {
        if (s == null) {
            sb.append('-');
        } else {
            sb.append(s.length()).append(':').append(s);
        }
        sb.append('\u0000');
    }

    /*
     * Runs on every accepted event with seq (the deduplicator keeps its print) and every one without: field names and
     * strings of printable ASCII without a quote or backslash (nearly all of them) are quoted here, and integers
     * printed directly, each exactly as Jackson's own node printing writes them (EventIdentityTest checks the two
     * against each other), which it still does for every other value. Through Jackson, each name and string cost
     * a writer and a generator of its own: about a sixth of the controller's CPU per event (docs/performance.md).
     */
    static void canonical(JsonNode n, StringBuilder sb) {
        if (n instanceof ObjectNode o) {
            String[] names = new String[o.size()];
            int k = 0;
            boolean sorted = true;
            for (Iterator<String> it = o.fieldNames(); it.hasNext(); k++) {
                names[k] = it.next();
                sorted &= k == 0 || names[k - 1].compareTo(names[k]) <= 0;
            }
            if (!sorted) {
                Arrays.sort(names);
            }
            sb.append('{');
            for (int i = 0; i < names.length; i++) {
                if (i > 0) {
                    sb.append(',');
                }
                quoted(names[i], sb);
                sb.append(':');
                canonical(o.get(names[i]), sb);
            }
            sb.append('}');
        } else if (n.isArray()) {
            sb.append('[');
            for (int i = 0; i < n.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                canonical(n.get(i), sb);
            }
            sb.append(']');
        } else if (n.isTextual()) {
            quoted(n.textValue(), sb);
        } else if (n.isInt() || n.isLong() || n.isShort()) {
            sb.append(n.longValue());   // an integer has no trailing zeros to strip
        } else if (n.isNumber()) {
            // 1.0 and 1.00 are the same number; stripping the scale keeps identity independent of the emitter's printer.
            sb.append(n.decimalValue().stripTrailingZeros().toPlainString());
        } else {
            sb.append(n.toString());
        }
    }

    /** A string as a JSON string, as Jackson writes it. */
    private static void quoted(String s, StringBuilder sb) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                sb.append(Json.MAPPER.getNodeFactory().textNode(s).toString());
                return;
            }
        }
        sb.append('"').append(s).append('"');
    }

    @Override
    public String toString() {
        return key.replace('\u0000', '|');
    }
}
