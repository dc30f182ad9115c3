package dev.lb.controller.view;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.controller.state.RunSummary;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 29: a run ended at once said "0 of 0 repetitions sealed" while one had run: no count was made at all. */
class SummaryTextTest {
    @Test
    void aCompletenessNeverCheckedSaysSoInsteadOfCountingZero() {
        List<String> lines = SummaryText.lines(RunSummary.empty("r1", "c.yaml", "interrupted", List.of()));
        assertTrue(lines.contains("  completeness: cannot tell (not checked: no seal was read)"), lines.toString());
        assertTrue(lines.stream().noneMatch(l -> l.contains("0 of 0 repetitions sealed")), lines.toString());
        assertTrue(lines.contains("    cannot tell: no summary.json: the run was not finished"), lines.toString());
    }
}
