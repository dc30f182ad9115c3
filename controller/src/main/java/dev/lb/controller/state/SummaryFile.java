package dev.lb.controller.state;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;

/** summary.json, in snake_case like every other file lb writes; readable back for {@code lb journal summary}. */
public final class SummaryFile {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private SummaryFile() {
    }

    public static void write(Path file, RunSummary summary) throws IOException {
        MAPPER.writeValue(file.toFile(), summary);
    }

    public static RunSummary read(Path file) throws IOException {
        return MAPPER.readValue(file.toFile(), RunSummary.class);
    }
}
