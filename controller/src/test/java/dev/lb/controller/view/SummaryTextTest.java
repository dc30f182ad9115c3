package dev.lb.controller.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.controller.state.RunSummary;
import java.util.List;
import java.util.Map;
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

    /**
     * Issue 29: an unreachable host's row said "stopped (STOP file ...)" or Ansible's empty "reached over ssh: "; it
     * now gives the cause in one line, Ansible's words kept up to 600 characters, ssh's CR LF made spaces.
     */
    @Test
    void anUnreachableRowGivesItsCauseInOneLine() {
        String cause = "host unreachable in task 'workload_runner : poll load 1/2': the poll's connection failed 2 times"
                + " in 11 s, each time a new ssh connection (retried for up to timeouts.unreachable_retry_s = 5 s); the"
                + " last: Data could not be sent to remote host \"127.0.0.1\". Make sure this host can be reached over"
                + " ssh: Connection timed out during banner exchange\r\nConnection to 127.0.0.1 port 42697 timed out";
        RunSummary empty = RunSummary.empty("r1", "c.yaml", "failed", List.of());
        RunSummary s = new RunSummary("r1", "c.yaml", "failed", 1, null, 0, 0, 4, List.of(), empty.events(), Map.of(),
                List.of(), List.of(), empty.transport(), empty.completeness(), null, null,
                List.of(new RunSummary.NotDone("web-1", "load", 1, "unreachable", cause)), "lb", null, List.of(), null,
                null);
        assertEquals(List.of("    web-1 load rep 1 unreachable: host unreachable in task 'workload_runner : poll load 1/2':"
                + " the poll's connection failed 2 times in 11 s, each time a new ssh connection (retried for up to"
                + " timeouts.unreachable_retry_s = 5 s); the last: Data could not be sent to remote host \"127.0.0.1\"."
                + " Make sure this host can be reached over ssh: Connection timed out during banner exchange  Connection"
                + " to 127.0.0.1 port 42697 timed out"),
                SummaryText.lines(s).stream().filter(l -> l.startsWith("    web-1")).toList());
    }
}
