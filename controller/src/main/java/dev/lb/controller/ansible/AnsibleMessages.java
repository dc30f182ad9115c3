package dev.lb.controller.ansible;

import java.util.ArrayList;
import java.util.List;

/**
 * Ansible's own warnings and errors in one ansible-playbook's output, each whole, for the run's summary: the lines
 * {@link AnsibleProgress} shows, put back together. Ansible wraps a warning at 79 columns when its output is not a
 * terminal; the lines it wrapped onto are joined with a space (where it broke a word too long for a line, that
 * space is one too many). A fatal line is a task's result, which the run's events already carry: not kept here.
 * The first {@link #MAX} are kept; the rest are counted and the count said.
 */
public final class AnsibleMessages {
    static final int MAX = 50;

    private final List<String> messages = new ArrayList<>();
    private StringBuilder current;
    private long more;

    /** One line {@link AnsibleProgress#line} said to show, already made safe to display. */
    public synchronized void shown(String line) {
        if (AnsibleProgress.startsMessage(line)) {
            end();
            current = new StringBuilder(line);
        } else if (current != null && !line.startsWith("fatal: ")) {
            current.append(' ').append(line);
        } else {
            end();
        }
    }

    private void end() {
        if (current == null) {
            return;
        }
        if (messages.size() < MAX) {
            messages.add(current.toString());
        } else {
            more++;
        }
        current = null;
    }

    /** Every message so far, the one still being read too; past the first {@link #MAX}, one line with the count. */
    public synchronized List<String> messages() {
        List<String> out = new ArrayList<>(messages);
        long notKept = more;
        if (current != null) {
            if (out.size() < MAX) {
                out.add(current.toString());
            } else {
                notKept++;
            }
        }
        if (notKept > 0) {
            out.add(notKept + " more of Ansible's warnings and errors (ansible.log has them all)");
        }
        return out;
    }

    /**
     * Whether {@code message} (a warning as Ansible printed it) says what {@code other} says: the same text
     * but for whitespace, which Ansible's wrapping changes. A poll step's warning reaches the summary through the
     * callback's file with its host, and Ansible prints it once more as a warning of its own.
     */
    public static boolean repeats(String message, String other) {
        String text = message.replaceFirst("^\\[(WARNING|DEPRECATION WARNING|ERROR)]:\\s*", "");
        String said = withoutWhitespace(text);
        return !said.isEmpty() && withoutWhitespace(other).contains(said);
    }

    private static String withoutWhitespace(String s) {
        return s.replaceAll("\\s+", "");
    }
}
