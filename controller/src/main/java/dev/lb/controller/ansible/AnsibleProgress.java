package dev.lb.controller.ansible;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Follows ansible-playbook's stdout for progress: the current play and task, each host's last result, and the
 * polling loop (every "FAILED - RETRYING" line of the poll step is one poll, summarized, never shown one by one).
 * Lines a user must see (fatal, unreachable, warnings, errors) are reported as notable, and so are the lines a
 * warning or error was wrapped onto (ansible-playbook wraps them at 79 columns when its output is not a terminal, so
 * the first line alone would say "could not remove the old agent cache" and not which or why).
 */
public final class AnsibleProgress {
    private static final Pattern PLAY = Pattern.compile("^PLAY \\[(.*)] \\**\\s*$");
    private static final Pattern TASK = Pattern.compile("^TASK \\[(.*)] \\**\\s*$");
    private static final Pattern RETRY = Pattern.compile("^FAILED - RETRYING: \\[([^\\]]+)]: (.*) \\((\\d+) retries left\\)\\.?\\s*$");
    private static final Pattern RESULT = Pattern.compile("^(ok|changed|fatal|skipping|failed|included): \\[([^\\]]+)]");
    private static final Pattern NOTABLE = Pattern.compile("^(fatal: |\\[WARNING]|\\[ERROR]|ERROR!|\\[DEPRECATION WARNING])");
    /** At most this many lines after a warning are taken for its wrapped rest (Ansible's own are a few). */
    static final int MAX_WRAPPED_LINES = 12;

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
    /** Lines still to be taken as the wrapped rest of the last warning or error. */
    private int wrapped;

    /** Reads one stdout line; returns true when the line should be shown to the user as it is. */
    public synchronized boolean line(String line, long nowMillis) {
        if (wrapped > 0) {
            // Ansible's wrapped lines are neither blank nor indented (a task's -v output is) and are none of the
            // lines below; the first line that is ends the message.
            if (!line.isBlank() && !Character.isWhitespace(line.charAt(0)) && !line.contains("LB_EVENT")
                    && !line.startsWith("PLAY ") && !line.startsWith("TASK ") && !line.startsWith("RUNNING HANDLER")
                    && !RETRY.matcher(line).matches() && !RESULT.matcher(line).find()
                    && !NOTABLE.matcher(line).find()) {
                wrapped--;
                return true;
            }
            wrapped = 0;
        }
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
        if (NOTABLE.matcher(line).find()) {
            // A fatal line is a task's result on one line; the others are Ansible's wrapped messages.
            wrapped = line.startsWith("fatal: ") ? 0 : MAX_WRAPPED_LINES;
            return true;
        }
        return false;
    }

    /** Whether the line begins one of Ansible's warnings or errors (a fatal line is a task's result instead). */
    static boolean startsMessage(String line) {
        return NOTABLE.matcher(line).find() && !line.startsWith("fatal: ");
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
