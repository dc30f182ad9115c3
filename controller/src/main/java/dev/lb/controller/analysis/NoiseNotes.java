package dev.lb.controller.analysis;

import dev.lb.controller.state.RunSummary;
import dev.lb.controller.state.SummaryFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The noise the agents measured during a run's repetitions (summary.json's system warnings, one line per host ×
 * workload × repetition, "HOST WORKLOAD rep N: ..."), for marking the result rows they make less sure.
 *
 * @param warnings the warnings, empty when there were none or they could not be read
 * @param problem  why they could not be read (no summary.json: the run did not finish), or null
 */
public record NoiseNotes(List<String> warnings, String problem) {
    public static final NoiseNotes NONE = new NoiseNotes(List.of(), null);

    public NoiseNotes {
        warnings = List.copyOf(warnings);
    }

    public static NoiseNotes of(RunSummary summary) {
        return summary == null || summary.systemWarnings() == null ? NONE
                : new NoiseNotes(summary.systemWarnings(), null);
    }

    /** From {@code runDir/summary.json}; a missing or unreadable file is said, never taken as "no noise". */
    public static NoiseNotes read(Path runDir) {
        Path file = runDir.resolve("summary.json");
        if (!Files.isRegularFile(file)) {
            return new NoiseNotes(List.of(), "no summary.json (the run did not finish): noise during repetitions"
                    + " cannot be shown");
        }
        try {
            return of(SummaryFile.read(file));
        } catch (IOException e) {
            return new NoiseNotes(List.of(), "summary.json cannot be read (" + e.getMessage().lines().findFirst()
                    .orElse("") + "): noise during repetitions cannot be shown");
        }
    }

    /** The warnings about one host's repetitions of one workload. */
    public List<String> of(String host, String workload) {
        String prefix = host + " " + workload + " rep ";
        return warnings.stream().filter(w -> w.startsWith(prefix)).toList();
    }
}
