package dev.lb.controller.view;

import dev.lb.controller.doctor.Progress;
import dev.lb.protocol.TerminalText;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;

/**
 * lb doctor -c's progress while it waits for the targets: one line rewritten in place, on a terminal only. Off a
 * terminal it prints nothing at all, so a log holds only the checks' lines. {@link #clear} removes the line before
 * the results are printed.
 */
public final class ProgressLine implements Progress {
    private static final int WIDTH = 119;
    private static final int NAMED = 3;

    private final PrintWriter out;
    private final boolean terminal;
    private String shown;

    public ProgressLine(PrintWriter out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    @Override
    public synchronized void update(int answered, int givenUp, int total, List<String> waiting, Duration elapsed, Duration limit) {
        if (!terminal) {
            return;
        }
        String line = text(answered, givenUp, total, waiting, elapsed, limit);
        if (!line.equals(shown)) {
            out.print("\r\u001b[2K" + line);
            out.flush();
            shown = line;
        }
    }

    public synchronized void clear() {
        if (shown != null) {
            out.print("\r\u001b[2K");
            out.flush();
            shown = null;
        }
    }

    static String text(int answered, int givenUp, int total, List<String> waiting, Duration elapsed, Duration limit) {
        String names = String.join(", ", waiting.stream().limit(NAMED).toList())
                + (waiting.size() > NAMED ? " and " + (waiting.size() - NAMED) + " more" : "");
        String line = "checking " + total + " target" + (total == 1 ? "" : "s") + ": " + answered + " answered"
                + (givenUp == 0 ? "" : ", " + givenUp + " given up")
                + (waiting.isEmpty() ? "" : ", waiting for " + names) + " · " + elapsed.toSeconds() + " s"
                + " (a target silent for " + limit.toSeconds() + " s is given up)";
        line = TerminalText.sanitize(line);
        return line.length() > WIDTH ? line.substring(0, WIDTH) : line;
    }
}
