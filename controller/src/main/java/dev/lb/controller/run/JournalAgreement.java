package dev.lb.controller.run;

import dev.lb.controller.ingest.Journal;
import dev.lb.controller.ingest.JournalReader;
import dev.lb.controller.state.RunSummary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether summary.json agrees with the journal it summarizes: the records it says were written against the records
 * the journal holds. A journal emptied, cut or replaced after the run is not summarized as complete on
 * summary.json's word (issue 29: a zero-byte journal was "done (exit 0), 32 journalled, complete").
 */
public final class JournalAgreement {
    private JournalAgreement() {
    }

    /** Null when they agree (or summary.json counts nothing); otherwise one line naming both counts. */
    public static String disagreement(Path runDir, RunSummary summary) throws IOException {
        if (summary == null || summary.journal() == null) {
            return null;
        }
        long said = summary.journal().records();
        Path file = runDir.resolve(Journal.FILE);
        long held = 0;
        if (Files.exists(file)) {
            try (JournalReader r = JournalReader.open(file, problem -> { })) {
                while (r.next() != null) {
                    held++;
                }
            }
        }
        if (held == said) {
            return null;
        }
        return "summary.json says " + said + " records were journalled, but " + Journal.FILE + " holds " + held
                + (Files.exists(file) ? "" : " (it is missing)") + ": they disagree, so what the summary claims cannot"
                + " be trusted (cannot tell)";
    }
}
