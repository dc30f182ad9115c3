package dev.lb.bench;

import dev.lb.protocol.Event;
import dev.lb.protocol.EventEncoder;
import dev.lb.protocol.EventLevel;
import dev.lb.protocol.EventStatus;
import dev.lb.protocol.EventType;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A generated stand-in for a long ansible-playbook log: task banners, ok/changed lines, warnings, colour codes and
 * JSON results as noise, and one line in ten carrying an event in one of the forms Ansible prints (raw, loop item,
 * debug msg string, YAML scalar).
 */
final class AnsibleLikeCorpus {
    private static final String[] NOISE = {
        "",
        "TASK [workload_runner : Poll LB_EVENT stream] ***********************************",
        "PLAY [Run benchmark] ************************************************************",
        "ok: [web-1]",
        "\u001b[0;32mok: [web-2]\u001b[0m",
        "changed: [web-3] => {\"changed\": true, \"cmd\": [\"true\"], \"rc\": 0, \"stdout\": \"\", \"stderr\": \"\"}",
        "skipping: [web-1] => (item=cooldown) ",
        "[WARNING]: Platform linux on host web-1 is using the discovered Python interpreter at /usr/bin/python3.11",
        "FAILED - RETRYING: [web-2]: Poll LB_EVENT stream (600 retries left).",
        "included: /work/ansible/roles/workload_runner/tasks/stream_events_step.yml for web-1, web-2, web-3",
        "PLAY RECAP *********************************************************************",
        "web-1                      : ok=42   changed=3    unreachable=0    failed=0    skipped=4    rescued=0",
    };

    private AnsibleLikeCorpus() {
    }

    /** {@code lines} lines, one in ten an event line. Deterministic for a given seed. */
    static List<String> generate(int lines, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<String> out = new ArrayList<>(lines);
        long seq = 0;
        for (int i = 0; i < lines; i++) {
            if (i % 10 == 9) {
                out.add(eventLine(r, ++seq));
            } else {
                out.add(NOISE[r.nextInt(NOISE.length)]);
            }
        }
        return out;
    }

    static String eventLine(SplittableRandom r, long seq) {
        Event e = Event.builder("web-" + r.nextInt(1, 4), "cpu", r.nextInt(1, 4), EventStatus.RUNNING)
                .runId("bench").totalRepetitions(3).type(EventType.LOG).level(EventLevel.INFO).src("agent").seq(seq)
                .ts(BigDecimal.valueOf(1_760_000_000_000_000L + seq * 137, 6))
                .message("stress-ng: info: [1234] dispatching hogs: 2 cpu, {\"quoted\": true} #" + seq).build();
        String line = EventEncoder.line(e);
        return switch (r.nextInt(4)) {
            case 0 -> line;
            case 1 -> "ok: [web-1] => (item=" + line + ") => {";
            case 2 -> "    \"msg\": \"" + line.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
            default -> "  msg: '" + line.replace("'", "''") + "'";
        };
    }
}
