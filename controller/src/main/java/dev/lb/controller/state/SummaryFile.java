package dev.lb.controller.state;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** summary.json, in snake_case like every other file lb writes; readable back for {@code lb journal summary}. */
public final class SummaryFile {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private SummaryFile() {
    }

    /** Where the room for summary.json is kept until the run ends. */
    public static Path reservation(Path file) {
        return file.resolveSibling(file.getFileName() + ".reserved");
    }

    /**
     * Keeps room for summary.json while the run still has it: a file of {@code bytes} spaces that {@link #write}
     * overwrites in place, so the summary of a run that filled its disk can still be written.
     */
    public static void reserve(Path file, int bytes) throws IOException {
        byte[] spaces = new byte[bytes];
        java.util.Arrays.fill(spaces, (byte) ' ');
        Files.write(reservation(file), spaces);
    }

    /**
     * Writes summary.json: into the reserved room when there is one (written in place, cut to length, then renamed,
     * so summary.json appears whole or not at all), else as a new file.
     */
    public static void write(Path file, RunSummary summary) throws IOException {
        byte[] json = MAPPER.writeValueAsBytes(summary);
        Path reserved = reservation(file);
        if (!Files.exists(reserved)) {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(tmp, json);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return;
        }
        try (FileChannel ch = FileChannel.open(reserved, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(json);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.truncate(json.length);
        }
        Files.move(reserved, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** summary.json's content as a tree, keys as the file has them: what the report page reads. */
    public static com.fasterxml.jackson.databind.JsonNode tree(RunSummary summary) {
        return MAPPER.valueToTree(summary);
    }

    public static RunSummary read(Path file) throws IOException {
        return MAPPER.readValue(file.toFile(), RunSummary.class);
    }
}
