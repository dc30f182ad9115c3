package dev.lb.controller.ansible;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Follows ansible-playbook's stdout for progress: the current play and task, each host's last result, and the
 * polling loop (every "FAILED - RETRYING" line of the poll step is one poll, summarized, never shown one by one).
 * Lines a user must see (fatal, unreachable, warnings, errors) are reported as notable.
 */
public final class AnsibleProgress {
    private static final Pattern PLAY = Pattern.compile("^PLAY \\[(.*)] \\**\\s*$");
    private static final Pattern TASK = Pattern.compile("^TASK \\[(.*)] \\**\\s*$");
    private static final Pattern RETRY = Pattern.compile("^FAILED - RETRYING: \\[([^\\]]+)]: (.*) \\((\\d+) retries left\\)\\.?\\s*$");
    private static final Pattern RESULT = Pattern.compile("^(ok|changed|fatal|skipping|failed|included): \\[([^\\]]+)]");
    private static final Pattern NOTABLE = Pattern.compile("^(fatal: |\\[WARNING]|\\[ERROR]|ERROR!|\\[DEPRECATION WARNING])");

    /** A copy for views. */
    public record Snapshot(String play, String task, int pollingHosts, long polls, long lastPollMillis,
                           Map<String, String> hostStatus) {
    }

    private String play = "";
    private String task = "";
    private long polls;
    private long lastPollMillis;
    private final Map<String, Long> lastPollByHost = new LinkedHashMap<>();
    private final Map<String, String> hostStatus = new LinkedHashMap<>();

    /** Reads one stdout line; returns true when the line should be shown to the user as it is. */
    public synchronized boolean line(String line, long nowMillis) {
        Matcher m;
        if ((m = RETRY.matcher(line)).matches()) {
            polls++;
            lastPollMillis = nowMillis;
            lastPollByHost.put(m.group(1), nowMillis);
            hostStatus.put(m.group(1), "polling");
            return false;
        }
        if ((m = TASK.matcher(line)).matches()) {
            task = m.group(1);
            return false;
        }
        if ((m = PLAY.matcher(line)).matches()) {
            play = m.group(1);
            return false;
        }
        if ((m = RESULT.matcher(line)).find()) {
            String status = m.group(1);
            hostStatus.put(m.group(2), line.contains("UNREACHABLE!") ? "unreachable" : status + ": " + task);
        }
        return NOTABLE.matcher(line).find();
    }

    /** For each host whose last result was a retry of its poll step (it is in its polling loop): when it came. */
    public synchronized Map<String, Long> polling() {
        Map<String, Long> out = new LinkedHashMap<>();
        lastPollByHost.forEach((host, at) -> {
            if ("polling".equals(hostStatus.get(host))) {
                out.put(host, at);
            }
        });
        return out;
    }

    public synchronized Snapshot snapshot(long nowMillis) {
        int polling = (int) lastPollByHost.values().stream().filter(t -> nowMillis - t < 10_000).count();
        return new Snapshot(play, task, polling, polls, lastPollMillis, Map.copyOf(hostStatus));
    }
}
