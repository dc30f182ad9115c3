package dev.lb.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Random events (unicode from every plane, quotes, braces, backslashes, control characters, the marker itself,
 * nested objects and arrays) encoded by the encoder, wrapped in each output form, come back equal.
 */
class ExtractorPropertyTest {
    private static final String NASTY = "\"'\\{}[]:,` $()<>;|&*?#%=\t\n\r\u0000\u0001\u001b\u007f\u0085\u00a0\u2028\u2029"
            + "\ufeff\ufffd LB_EVENT {\"host\": LB_EVENT {\\\" ''";
    private static final JsonNodeFactory NODES = Json.MAPPER.getNodeFactory();

    @Test
    void randomEventsSurviveEveryOutputForm() throws Exception {
        SplittableRandom random = new SplittableRandom(20261123L);
        LbEventExtractor extractor = new LbEventExtractor();
        int checked = 0;
        for (int i = 0; i < 400; i++) {
            Event event = randomEvent(random, i);
            String line = EventEncoder.line(event);
            for (OutputForms.Form form : OutputForms.all()) {
                String wrapped = form.wrap().apply(line);
                List<Extraction> found = extractor.extract(wrapped);
                assertEquals(false, found.isEmpty(), () -> form + ": nothing found in " + wrapped);
                for (Extraction x : found) {
                    Extraction.Found f = assertInstanceOf(Extraction.Found.class, x,
                            () -> form + ": " + x + "\nline: " + wrapped);
                    assertEquals(event.payload(), f.event().payload(), () -> form + ": " + wrapped);
                    assertEquals(event.identity(), f.event().identity());
                    checked++;
                }
            }
        }
        assertEquals(true, checked >= 400 * OutputForms.all().size());
    }

    private static Event randomEvent(SplittableRandom r, int i) {
        var b = Event.builder(text(r, 1 + r.nextInt(12)), text(r, 1 + r.nextInt(12)), r.nextInt(1, 100),
                        EventStatus.values()[r.nextInt(EventStatus.values().length)])
                .runId(text(r, r.nextInt(10)))
                .type(EventType.values()[r.nextInt(EventType.values().length)])
                .level(EventLevel.values()[r.nextInt(EventLevel.values().length)])
                .src(text(r, 1 + r.nextInt(8)))
                .seq(1 + i)
                .ts(BigDecimal.valueOf(r.nextLong(1_000_000_000_000_000L, 2_000_000_000_000_000L), 6))
                .message(text(r, r.nextInt(200)));
        if (r.nextBoolean()) {
            b.extra("extra_" + r.nextInt(5), randomNode(r, 3));
        }
        return b.build();
    }

    private static JsonNode randomNode(SplittableRandom r, int depth) {
        int kind = depth == 0 ? r.nextInt(4) : r.nextInt(6);
        return switch (kind) {
            case 0 -> NODES.textNode(text(r, r.nextInt(30)));
            case 1 -> NODES.numberNode(r.nextLong());
            case 2 -> NODES.booleanNode(r.nextBoolean());
            case 3 -> NODES.nullNode();
            case 4 -> {
                ArrayNode a = NODES.arrayNode();
                for (int k = r.nextInt(4); k > 0; k--) {
                    a.add(randomNode(r, depth - 1));
                }
                yield a;
            }
            default -> {
                ObjectNode o = NODES.objectNode();
                for (int k = r.nextInt(4); k > 0; k--) {
                    o.set(text(r, 1 + r.nextInt(6)) + k, randomNode(r, depth - 1));
                }
                yield o;
            }
        };
    }

    /** Mixes ASCII, the nasty set, Latin-1, BMP and astral code points (valid surrogate pairs only). */
    private static String text(SplittableRandom r, int length) {
        StringBuilder sb = new StringBuilder();
        while (sb.length() < length) {
            int pick = r.nextInt(10);
            if (pick < 4) {
                sb.append((char) r.nextInt(0x20, 0x7f));
            } else if (pick < 7) {
                sb.append(NASTY.charAt(r.nextInt(NASTY.length())));
            } else if (pick < 8) {
                sb.append((char) r.nextInt(0xa0, 0x100));
            } else if (pick < 9) {
                int c = r.nextInt(0x100, 0xd800);
                sb.append((char) c);
            } else {
                sb.appendCodePoint(r.nextInt(0x10000, 0x10ffff));
            }
        }
        return sb.toString();
    }
}
