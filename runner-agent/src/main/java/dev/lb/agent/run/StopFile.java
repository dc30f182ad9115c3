package dev.lb.agent.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lb.protocol.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the STOP file the moment the agent acts on it. Empty, it is a plain stop (the role touches it). The
 * controller's side may write a JSON object instead; {@code {"reason": "repetition_timeout", "limit_s": 60,
 * "elapsed_s": 61.2}} ends the repetition as {@code timeout}, with that object as the error context. Any other
 * content is a plain stop too; content that is not a JSON object is logged as a warning first.
 *
 * <p>The writer may create the file and fill it a moment later, so an empty file is read once more after
 * {@code settle}.
 */
final class StopFile {
    static final String REPETITION_TIMEOUT = "repetition_timeout";

    private static final Logger log = LoggerFactory.getLogger(StopFile.class);

    private StopFile() {
    }

    static StopRequest read(Path file, Duration settle) throws InterruptedException {
        String text = content(file);
        if (text != null && text.isBlank()) {
            Thread.sleep(settle.toMillis());
            text = content(file);
        }
        String plain = "STOP file " + file;
        if (text == null || text.isBlank()) {
            return StopRequest.stopped(plain);
        }
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            log.warn("the STOP file {} holds {} characters that are not JSON ({}); stopping as for an empty STOP file",
                    file, text.length(), e.getOriginalMessage());
            return StopRequest.stopped(plain);
        }
        if (!(json instanceof ObjectNode request)) {
            log.warn("the STOP file {} holds JSON {} where an object was expected; stopping as for an empty STOP file",
                    file, json.getNodeType().toString().toLowerCase(java.util.Locale.ROOT));
            return StopRequest.stopped(plain);
        }
        JsonNode reason = request.get("reason");
        if (reason != null && reason.isTextual() && reason.asText().equals(REPETITION_TIMEOUT)) {
            return StopRequest.timeout(REPETITION_TIMEOUT, "repetition time limit" + seconds(request, "limit_s", " of ")
                    + " reached" + seconds(request, "elapsed_s", ", ") + (request.has("elapsed_s") ? " elapsed" : ""),
                    request);
        }
        return StopRequest.stopped(plain + (reason == null ? "" : " (reason " + Json.line(reason) + ")"));
    }

    private static String seconds(ObjectNode request, String field, String before) {
        JsonNode v = request.get(field);
        return v == null ? "" : before + (v.isNumber() ? v.asText() : Json.line(v)) + " s";
    }

    /** The file's text; empty when it was removed in the meantime (still a stop: it was there), null when unreadable. */
    private static String content(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return "";
        } catch (IOException e) {
            log.warn("cannot read the STOP file {} ({}); stopping as for an empty STOP file", file, e.toString());
            return null;
        }
    }
}
