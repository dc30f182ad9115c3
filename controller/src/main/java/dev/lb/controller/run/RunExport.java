package dev.lb.controller.run;

import dev.lb.controller.config.RunConfig;
import dev.lb.controller.export.ExportStage;
import dev.lb.controller.ingest.JournalReader;
import dev.lb.controller.listener.DeliveryPath;
import dev.lb.controller.listener.Sighting;
import dev.lb.controller.state.RunSummary;
import dev.lb.controller.state.SummaryFile;
import dev.lb.protocol.EventDecoder;
import dev.lb.protocol.InvalidEventException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * {@code lb export}: a finished run sent again, from its run directory: every journalled event, in journal order,
 * through the same export stage a live run feeds, then the end of the run as summary.json gives it (the
 * Pushgateway's group is PUT only for a run that succeeded). The run directory is only read.
 */
public final class RunExport {
    private RunExport() {
    }

    /** What was sent and dropped per endpoint, and the journal records that could not be read (each reported). */
    public record Outcome(List<RunSummary.Export> accounts, long events, long unreadable) {
    }

    /**
     * @throws IOException when run.json, summary.json or the journal cannot be read (named in the message)
     */
    public static Outcome send(Path runDir, RunConfig.Export settings, Consumer<String> notices)
            throws IOException, InterruptedException {
        RunRecord run = RunRecord.read(runDir);
        Path summaryFile = runDir.resolve(RunPipeline.SUMMARY_FILE);
        if (!Files.isRegularFile(summaryFile)) {
            throw new IOException("no " + RunPipeline.SUMMARY_FILE + " in " + runDir + ": the run is not finished"
                    + " (`lb recover " + run.runId() + "` finishes it)");
        }
        RunSummary summary = SummaryFile.read(summaryFile);
        ExportStage stage = ExportStage.start(settings, run.config(), run.workloads(), notices);
        long events = 0;
        long bad = 0;
        try (JournalReader r = JournalReader.open(runDir.resolve("journal.jsonl"), notices)) {
            for (JournalReader.Record rec; (rec = r.next()) != null; ) {
                try {
                    stage.accepted(new Sighting(EventDecoder.decode(rec.event()), path(rec.path()),
                            Math.round(rec.received() * 1000), "journal.jsonl", rec.line()), null);
                    events++;
                } catch (InvalidEventException e) {
                    bad++;
                    notices.accept("journal.jsonl:" + rec.line() + ": not an event any more (" + e.getMessage()
                            + "), skipped");
                }
            }
            bad += r.unreadable();
        }
        boolean success = summary.exitCode() == 0 && !summary.isUnfinished();
        return new Outcome(stage.finish(success, summary.endedAt()), events, bad);
    }

    private static DeliveryPath path(String name) {
        try {
            return name == null ? DeliveryPath.RECOVERED : DeliveryPath.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            // A path this version does not name (a newer journal): the event counts all the same.
            return DeliveryPath.RECOVERED;
        }
    }
}
