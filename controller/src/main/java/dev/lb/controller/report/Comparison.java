package dev.lb.controller.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** A comparison of this run with a base run, for the report's comparison table. */
public record Comparison(String baseRunId, List<ComparisonRow> rows) {
    public Comparison {
        rows = List.copyOf(rows);
    }

    /**
     * Reads a comparison from JSON: {@code {"base_run_id": .., "rows": [ {row in snake_case}, .. ]}}. A row lacking
     * its metric or verdict, or a field of the wrong type, is an error naming the row.
     */
    public static Comparison fromJson(JsonNode node) {
        if (node == null || !node.isObject() || !node.path("rows").isArray()) {
            throw new IllegalArgumentException("a comparison is an object with a rows array");
        }
        List<ComparisonRow> rows = new ArrayList<>();
        int i = 0;
        for (JsonNode r : node.get("rows")) {
            String where = "comparison row " + i++;
            rows.add(new ComparisonRow(text(r, "host", where, false), text(r, "workload", where, true),
                    text(r, "metric", where, true), text(r, "unit", where, false), number(r, "base_mean", where),
                    number(r, "new_mean", where), number(r, "change_pct", where), number(r, "ci_low", where),
                    number(r, "ci_high", where), number(r, "effect_size", where), text(r, "test", where, false),
                    number(r, "p", where), r.path("significant").asBoolean(false), text(r, "verdict", where, true)));
        }
        return new Comparison(node.path("base_run_id").asText(null), rows);
    }

    private static String text(JsonNode row, String field, String where, boolean required) {
        JsonNode v = row.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new IllegalArgumentException(where + " has no " + field);
            }
            return null;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException(where + ": " + field + " is not a string");
        }
        return v.asText();
    }

    private static Double number(JsonNode row, String field, String where) {
        JsonNode v = row.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isNumber()) {
            throw new IllegalArgumentException(where + ": " + field + " is not a number");
        }
        return v.asDouble();
    }
}
