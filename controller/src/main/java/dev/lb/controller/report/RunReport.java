package dev.lb.controller.report;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lb.controller.state.RunSummary;
import dev.lb.controller.state.SummaryFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * A run's report: its results (as results.json has them), its comparison (as {@code lb compare --output json} has
 * it, with the base run's results for charting one against the other) and its history section given, summary.json and the journal's system
 * metrics read from the run directory; report.html written.
 */
public final class RunReport {
    public static final String SUMMARY_FILE = dev.lb.controller.run.RunPipeline.SUMMARY_FILE;
    public static final String JOURNAL_FILE = dev.lb.controller.ingest.Journal.FILE;
    public static final String REPORT_FILE = "report.html";

    private RunReport() {
    }

    /**
     * Writes {@code runDir/report.html} (whole or not at all: written beside it, then renamed) and returns its path.
     * Journal lines that could not be read are skipped, shown in the page and passed to {@code warnings}.
     */
    public static Path write(Path runDir, JsonNode results, JsonNode comparison, JsonNode baseResults,
                             JsonNode history, Instant now, String lbVersion, Consumer<String> warnings)
            throws ReportException {
        RunSummary summary = readSummary(runDir.resolve(SUMMARY_FILE));
        Path journal = runDir.resolve(JOURNAL_FILE);
        MetricSeries.Read metrics;
        try {
            metrics = MetricSeries.read(journal);
        } catch (IOException e) {
            throw new ReportException("cannot read " + journal + ": " + e.getMessage(), e);
        }
        if (metrics.unreadableLines() > 0) {
            warnings.accept(journal + ": " + metrics.unreadableLines() + " unreadable line(s) skipped for the system"
                    + " metrics (first: " + metrics.problems().get(0) + ")");
        }
        ObjectNode data;
        try {
            data = ReportData.assemble(runId(runDir, results), results, summary, metrics, comparison, baseResults, history,
                    now, lbVersion);
        } catch (IllegalArgumentException e) {
            throw new ReportException("the results of " + runDir + ": " + e.getMessage());
        }
        String html = new HtmlReport().render(data);
        Path target = runDir.resolve(REPORT_FILE);
        Path tmp = runDir.resolve(REPORT_FILE + ".tmp");
        try {
            Files.writeString(tmp, html, StandardCharsets.UTF_8);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw new ReportException("cannot write " + target + ": " + e, e);
        }
        return target;
    }

    /** The run id the results name, else the run directory's name. */
    private static String runId(Path runDir, JsonNode results) {
        JsonNode id = results.get("run_id");
        return id != null && id.isTextual() ? id.asText() : runDir.getFileName().toString();
    }

    private static RunSummary readSummary(Path file) throws ReportException {
        if (!Files.exists(file)) {
            return null;
        }
        try {
            return SummaryFile.read(file);
        } catch (JacksonException e) {
            throw new ReportException(file + ": damaged (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw new ReportException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
