package dev.lb.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * The one JSON configuration every stage shares. Floats are kept as exact decimals so that a payload's
 * {@code "ts": 1760000000.0} is written back exactly as it came; duplicate keys are an error, not "last wins".
 * The mapper is configured once and never changed, so sharing it is safe.
 */
public final class Json {
    public static final ObjectMapper MAPPER = mapper();

    /** Compact JSON whose text survives any line-oriented stage unchanged (see {@link LineSafeEscapes}). */
    public static final ObjectWriter LINE_WRITER = MAPPER.writer().with(new LineSafeEscapes());

    private Json() {
    }

    /** One JSON value as one safe line of text. */
    public static String line(Object value) {
        try {
            return LINE_WRITER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            // Only reachable for values Jackson cannot serialize at all, which no caller passes.
            throw new IllegalArgumentException("cannot serialize " + value.getClass().getName(), e);
        }
    }

    private static ObjectMapper mapper() {
        JsonFactory factory = JsonFactory.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        ObjectMapper mapper = new ObjectMapper(factory);
        mapper.setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));
        mapper.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.disable(SerializationFeature.INDENT_OUTPUT);
        mapper.configure(JsonParser.Feature.INCLUDE_SOURCE_IN_LOCATION, false);
        return mapper;
    }
}
