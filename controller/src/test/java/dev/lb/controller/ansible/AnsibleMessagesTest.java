package dev.lb.controller.ansible;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class AnsibleMessagesTest {
    /** Ansible's messages in ansible-playbook's output as it came, the way a run reads them. */
    private static List<String> said(String... lines) {
        AnsibleProgress progress = new AnsibleProgress();
        AnsibleMessages messages = new AnsibleMessages();
        for (String line : lines) {
            if (progress.line(line, 0)) {
                messages.shown(line);
            }
        }
        return messages.messages();
    }

    @Test
    void aWrappedWarningIsOneMessageAndEachWarningOrErrorItsOwn() {
        assertEquals(List.of(
                        "[WARNING]: could not remove the old agent cache"
                                + " /root/.cache/lb/runs/cache/00000000000000000000000000000009"
                                + " (/root/.cache/lb/runs/cache/00000000000000000000000000000009/f: [Errno 1]"
                                + " Operation not permitted: 'f')",
                        "[DEPRECATION WARNING]: old syntax",
                        "ERROR! the role 'x' was not found"),
                said("TASK [workload_runner : Set up the target] ***",
                        "[WARNING]: could not remove the old agent cache",
                        "/root/.cache/lb/runs/cache/00000000000000000000000000000009",
                        "(/root/.cache/lb/runs/cache/00000000000000000000000000000009/f: [Errno 1]",
                        "Operation not permitted: 'f')",
                        "changed: [local]",
                        "[DEPRECATION WARNING]: old syntax",
                        "fatal: [web1]: FAILED! => {\"msg\": \"a task's result: the events carry it\"}",
                        "ERROR! the role 'x' was not found"));
    }

    @Test
    void aFatalLineIsNotAMessageNorTheRestOfOne() {
        assertEquals(List.of("[WARNING]: one"),
                said("[WARNING]: one", "fatal: [web1]: UNREACHABLE! => {}", "after it"));
    }

    @Test
    void pastTheFirstFiftyTheRestAreCountedNotDropped() {
        String[] lines = new String[AnsibleMessages.MAX + 7];
        for (int i = 0; i < lines.length; i++) {
            lines[i] = "[WARNING]: number " + i;
        }
        List<String> said = said(lines);
        assertEquals(AnsibleMessages.MAX + 1, said.size());
        assertEquals("[WARNING]: number " + (AnsibleMessages.MAX - 1), said.get(AnsibleMessages.MAX - 1));
        assertEquals("7 more of Ansible's warnings and errors (ansible.log has them all)", said.get(AnsibleMessages.MAX));
    }

    @Test
    void aPollWarningAnsiblePrintedAgainRepeatsTheOneTheCallbacksFileCarries() {
        // The file's record names the host; Ansible wrapped its copy at 79 columns.
        String fromFile = "web-1: the target's lock /tmp/lb/lock is held by run 20261207-1, not this one: another"
                + " run took it over";
        String printed = said("[WARNING]: the target's lock /tmp/lb/lock is held by run 20261207-1, not this one:",
                "another run took it over").get(0);
        assertTrue(AnsibleMessages.repeats(printed, fromFile));
        assertFalse(AnsibleMessages.repeats(printed, "web-1: the target's lock /tmp/lb/lock is gone"));
        assertFalse(AnsibleMessages.repeats("[WARNING]: ", fromFile), "an empty warning repeats nothing");
    }
}
