package dev.lb.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Reads only the identity of a payload, without decoding it: the top-level run_id, host, workload, repetition, src
 * and seq, skipping every other value. A sighting whose identity is already known is a duplicate and is never
 * decoded again; only a first sighting goes to {@link EventDecoder}.
 *
 * <p>The probe answers only when the answer is certain to be the decoder's: each identity field present once, in
 * its plain form (strings, non-empty host and workload, JSON integers in range) and the text well-formed. Anything
 * else (no seq, a numeric string, a duplicate identity field, a syntax error) is {@code null}, and the payload is
 * decoded, so the decoder stays the only judge of what is wrong with it.
 */
public final class IdentityProbe {

    /** The identity fields of a payload with seq. */
    public record Probe(String runId, String host, String workload, int repetition, String src, long seq) {
        public EventIdentity identity() {
            return EventIdentity.ofSeq(runId, host, workload, repetition, src, seq);
        }
    }

    private IdentityProbe() {
    }

    /** The payload's identity, or null when only a full decode can tell. */
    public static Probe read(String json) {
        try (JsonParser p = Json.MAPPER.getFactory().createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            String runId = null;
            String host = null;
            String workload = null;
            String src = null;
            long repetition = -1;
            long seq = -1;
            int seenMask = 0;
            for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                if (t != JsonToken.FIELD_NAME) {
                    return null;
                }
                String name = p.currentName();
                JsonToken v = p.nextToken();
                int bit = switch (name) {
                    case "run_id" -> 1;
                    case "host" -> 2;
                    case "workload" -> 4;
                    case "repetition" -> 8;
                    case "src" -> 16;
                    case "seq" -> 32;
                    default -> 0;
                };
                if (bit == 0) {
                    p.skipChildren();
                    continue;
                }
                if ((seenMask & bit) != 0) {
                    return null;
                }
                seenMask |= bit;
                switch (bit) {
                    case 1, 16 -> {
                        if (v == JsonToken.VALUE_STRING) {
                            if (bit == 1) {
                                runId = p.getText();
                            } else {
                                src = p.getText();
                            }
                        } else if (v != JsonToken.VALUE_NULL) {
                            return null;
                        }
                    }
                    case 2, 4 -> {
                        if (v != JsonToken.VALUE_STRING || p.getTextLength() == 0) {
                            return null;
                        }
                        if (bit == 2) {
                            host = p.getText();
                        } else {
                            workload = p.getText();
                        }
                    }
                    default -> {
                        if (v != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                            return null;
                        }
                        long n = p.getLongValue();
                        if (n < 0 || (bit == 8 && n > Integer.MAX_VALUE)) {
                            return null;
                        }
                        if (bit == 8) {
                            repetition = n;
                        } else {
                            seq = n;
                        }
                    }
                }
            }
            // Nothing may follow the object: the decoder would reject it, so the probe cannot vouch for it.
            if (p.nextToken() != null || (seenMask & (2 | 4 | 8 | 32)) != (2 | 4 | 8 | 32)) {
                return null;
            }
            if (seq < 1) {
                return null; // the decoder rejects seq 0: only it may say so, and a 0 must never reach de-duplication
            }
            return new Probe(runId, host, workload, (int) repetition, src, seq);
        } catch (IOException e) {
            return null;
        }
    }
}
