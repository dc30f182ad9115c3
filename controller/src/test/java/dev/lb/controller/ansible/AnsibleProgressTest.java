package dev.lb.controller.ansible;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class AnsibleProgressTest {
    /** The lines a user is shown, of ansible-playbook's stdout as it came. */
    private static List<String> shown(String... lines) {
        AnsibleProgress p = new AnsibleProgress();
        return java.util.Arrays.stream(lines).filter(l -> p.line(l, 0)).toList();
    }

    @Test
    void aWarningIsShownWithTheLinesAnsibleWrappedItOnto() {
        // As ansible-playbook printed it (79 columns, not a terminal) in a live run.
        assertEquals(List.of(
                        "[WARNING]: could not remove the old agent cache",
                        "/root/.cache/lb/runs/cache/00000000000000000000000000000009",
                        "(/root/.cache/lb/runs/cache/00000000000000000000000000000009/f: [Errno 1]",
                        "Operation not permitted: 'f')"),
                shown("TASK [workload_runner : Set up the target] ***",
                        "[WARNING]: could not remove the old agent cache",
                        "/root/.cache/lb/runs/cache/00000000000000000000000000000009",
                        "(/root/.cache/lb/runs/cache/00000000000000000000000000000009/f: [Errno 1]",
                        "Operation not permitted: 'f')",
                        "changed: [local]",
                        "",
                        "TASK [workload_runner : How agents start on this target] ***",
                        "ok: [local]"));
    }

    @Test
    void theWrappedRestEndsAtABlankIndentedEventRetryTaskPlayOrResultLine() {
        assertEquals(List.of("[WARNING]: one", "rest of one", "[DEPRECATION WARNING]: two", "[WARNING]: three",
                        "[WARNING]: four", "[WARNING]: five", "[WARNING]: six", "[WARNING]: seven"),
                shown("[WARNING]: one", "rest of one", "", "not part of it",
                        "[DEPRECATION WARNING]: two", "    indented -v output",
                        "[WARNING]: three", "local LB_EVENT {\"v\":1}",
                        "[WARNING]: four", "FAILED - RETRYING: [local]: Stream events (5 retries left).",
                        "[WARNING]: five", "PLAY RECAP *****",
                        "[WARNING]: six", "ok: [local]",
                        "[WARNING]: seven", "TASK [x] ***", "after the task line"));
    }

    @Test
    void aFatalLineIsShownAloneAndOrdinaryOutputIsNot() {
        assertEquals(List.of("fatal: [web1]: UNREACHABLE! => {\"msg\": \"ssh: connect\"}"),
                shown("fatal: [web1]: UNREACHABLE! => {\"msg\": \"ssh: connect\"}", "some line after it",
                        "changed: [web1]"));
    }

    @Test
    void aWarningTakesAtMostAFewLinesForItsRest() {
        String[] lines = new String[2 + AnsibleProgress.MAX_WRAPPED_LINES];
        lines[0] = "[WARNING]: long";
        for (int i = 1; i < lines.length; i++) {
            lines[i] = "line " + i;
        }
        assertEquals(1 + AnsibleProgress.MAX_WRAPPED_LINES, shown(lines).size());
    }
}
