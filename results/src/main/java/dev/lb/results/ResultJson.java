package dev.lb.results;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.file.Path;

/** JSON reading for the JSON-based parsers, with errors that name the file and say where and what. */
final class ResultJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ResultJson() {
    }

    /** The JSON value at the start of {@code text}; text after it is ignored, as tools append notes to files. */
    static JsonNode parse(Path file, String text) throws ResultParseException {
        try {
            JsonNode node = MAPPER.readTree(text);
            if (node == null || node.isMissingNode()) {
                throw new ResultParseException(file + ": holds no JSON value");
            }
            return node;
        } catch (JsonProcessingException e) {
            String problem = e.getOriginalMessage().lines().findFirst().orElse("malformed");
            // Jackson reports a cut-off document as JsonEOFException, or in some states only by its message
            if (e instanceof JsonEOFException || problem.contains("end-of-input")) {
                throw new ResultParseException(file + ": JSON ends early" + at(e.getLocation()) + " (truncated?)", e);
            }
            throw new ResultParseException(file + ": not valid JSON" + at(e.getLocation()) + ": " + problem, e);
        }
    }

    /** {@code node} as a double; it must be a JSON number. {@code where} names it, e.g. {@code jobs[0].read.iops}. */
    static double number(Path file, JsonNode node, String where) throws ResultParseException {
        requirePresent(file, node, where);
        if (node.isNumber() && Double.isFinite(node.doubleValue())) {
            return node.doubleValue(); // 1e999 parses, as Infinity: not a number a metric can carry
        }
        throw notANumber(file, node, where);
    }

    /** Like {@link #number}, for a figure that cannot be negative (a rate, a count, a size, a duration). */
    static double nonNegative(Path file, JsonNode node, String where) throws ResultParseException {
        return nonNegative(file, number(file, node, where), where);
    }

    /** {@code value} when it is not negative; otherwise the parse fails naming it. */
    static double nonNegative(Path file, double value, String where) throws ResultParseException {
        if (value < 0) {
            throw new ResultParseException(file + ": " + where + " is negative (" + clip(String.valueOf(value))
                    + "), which it cannot be");
        }
        return value;
    }

    /** Like {@link #number}, but a string holding a number is taken too (some tools quote their numbers). */
    static double numberOrNumericText(Path file, JsonNode node, String where) throws ResultParseException {
        requirePresent(file, node, where);
        if (node.isTextual()) {
            try {
                double v = Double.parseDouble(node.textValue().trim());
                if (Double.isFinite(v)) {
                    return v;
                }
            } catch (NumberFormatException e) {
                throw notANumber(file, node, where);
            }
        }
        return number(file, node, where);
    }

    private static void requirePresent(Path file, JsonNode node, String where) throws ResultParseException {
        if (node == null || node.isMissingNode() || node.isNull()) {
            throw new ResultParseException(file + ": " + where + " is missing");
        }
    }

    private static ResultParseException notANumber(Path file, JsonNode node, String where) {
        return new ResultParseException(file + ": " + where + " is not a number: " + clip(node.toString()));
    }

    private static String at(JsonLocation loc) {
        return loc == null || loc.getLineNr() < 1 ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
    }

    /** A quoted value shown in a one-line message: single line, at most 60 characters. */
    static String clip(String s) {
        return clip(s, 60);
    }

    static String clip(String s, int max) {
        String one = s.replaceAll("[\\r\\n\\t]+", " ");
        return one.length() <= max ? one : one.substring(0, max - 3) + "...";
    }
}
