package dev.lb.controller.report;

import com.fasterxml.jackson.databind.JsonNode;

/** Compares two runs' results.json for the report's comparison table ({@code lb report --compare BASE}). */
@FunctionalInterface
public interface ComparisonSource {
    Comparison compare(String baseRunId, JsonNode baseResults, String runId, JsonNode results) throws ReportException;
}
