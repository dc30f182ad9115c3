package dev.lb.controller.view;

import dev.lb.controller.ansible.AnsibleProgress;
import dev.lb.controller.listener.IngestStats;
import dev.lb.controller.state.RunState;
import dev.lb.protocol.TerminalText;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;

/**
 * Lays out one frame: header, Event Status, the Ansible progress line, the Log Stream, and a footer. Pure: the
 * same snapshot and size give the same lines, exactly {@code rows} of them, none wider than {@code cols} columns.
 */
public final class DashboardRenderer {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());
    private static final AttributedStyle BOLD = AttributedStyle.BOLD;
    private static final AttributedStyle FAINT = AttributedStyle.DEFAULT.faint();
    private static final AttributedStyle ALERT = AttributedStyle.BOLD.foreground(AttributedStyle.RED);
    private static final AttributedStyle WARN = AttributedStyle.DEFAULT.foreground(AttributedStyle.YELLOW);
    private static final String LOAD_COLUMN = "%-23s "; // "cpu 100% mem 1023.9 GiB" and a space
    private static final String KEYS = "q stop · p pause · ↑/↓ PgUp/PgDn scroll · f filter";

    private final long silentAfterMillis;

    public DashboardRenderer(long silentAfterMillis) {
        this.silentAfterMillis = silentAfterMillis;
    }

    public List<AttributedString> render(DashboardModel.Snapshot s, int rows, int cols) {
        List<AttributedString> out = new ArrayList<>(rows);
        if (rows < 8 || cols < 20) {
            out.add(clip(new AttributedString("lb: the window is too small (" + cols + "x" + rows + ")"), cols));
            while (out.size() < rows) {
                out.add(AttributedString.EMPTY);
            }
            return out;
        }
        out.add(clip(header(s), cols));
        out.add(clip(counts(s.stats()), cols));
        out.add(clip(rule("Event Status" + (s.rows().isEmpty() ? "" : " · " + stateCounts(s.rows())), cols), cols));
        int statusSpace = Math.max(2, Math.min(s.rows().size() + 1, (rows - 7) / 2));
        // The SYSTEM column appears once some host's agent sends metric events; runs without them keep the room.
        boolean load = !s.hostLoad().isEmpty();
        out.add(clip(new AttributedString(String.format("%-16s %-14s %7s %-12s %-11s %6s %7s  %s%s", "HOST", "WORKLOAD",
                "REP", "PROGRESS", "STATE", "AGE", "EVENTS", load ? String.format(LOAD_COLUMN, "SYSTEM") : "",
                "LAST EVENT"), FAINT), cols));
        List<RunState.Row> table = s.rows();
        int shown = Math.min(table.size(), statusSpace - 1);
        if (shown < table.size()) {
            shown = Math.max(0, shown - 1);
            // Too many rows for the room: what needs eyes first (problems, then running), finished rows last.
            table = new ArrayList<>(table);
            table.sort(java.util.Comparator.comparingInt(r -> urgency(r.state())));
        }
        for (int i = 0; i < shown; i++) {
            out.add(clip(row(table.get(i), s.nowMillis(), load ? s.hostLoad().get(table.get(i).host()) : null, load),
                    cols));
        }
        if (shown < table.size()) {
            out.add(clip(new AttributedString("... " + (table.size() - shown) + " more rows ("
                    + stateCounts(table.subList(shown, table.size())) + ")", FAINT), cols));
        }
        out.add(clip(ansible(s.progress(), s.nowMillis()), cols));
        out.add(clip(rule("Log Stream" + (s.paused() ? " [paused]" : "") + (s.filter().isEmpty() ? "" : " [filter: "
                + s.filter() + "]") + (s.scroll() > 0 ? " [scrolled up " + s.scroll() + "]" : ""), cols), cols));
        int logRows = rows - out.size() - 1;
        List<DashboardModel.LogLine> log = s.log(); // already scrolled: the newest shown line is last
        for (int i = Math.max(0, log.size() - logRows); i < log.size(); i++) {
            out.add(clip(logLine(log.get(i)), cols));
        }
        while (out.size() < rows - 1) {
            out.add(AttributedString.EMPTY);
        }
        out.add(clip(footer(s), cols));
        return out;
    }

    /** "2 failed, 12 running, 30 done": how many rows are in each state, most urgent first. */
    static String stateCounts(List<RunState.Row> rows) {
        java.util.Map<String, Integer> counts = new java.util.TreeMap<>(java.util.Comparator
                .comparingInt(DashboardRenderer::urgency).thenComparing(java.util.Comparator.naturalOrder()));
        for (RunState.Row r : rows) {
            counts.merge(r.state() == null ? "pending" : r.state(), 1, Integer::sum);
        }
        StringBuilder b = new StringBuilder();
        counts.forEach((state, n) -> b.append(b.length() == 0 ? "" : ", ").append(n).append(' ')
                .append(TerminalText.sanitize(state)));
        return b.toString();
    }

    /** Which rows a crowded table shows first: failures, then live rows, then those still to come, finished last. */
    private static int urgency(String state) {
        return switch (state == null ? "pending" : state) {
            case "failed", "unreachable", "timeout", "timed out", "interrupted" -> 0;
            case "stopped", "skipped" -> 1;
            case "running", "starting" -> 2;
            case "pending" -> 3;
            default -> 4; // done, stable
        };
    }

    private static AttributedString header(DashboardModel.Snapshot s) {
        AttributedStringBuilder b = new AttributedStringBuilder();
        b.style(AttributedStyle.INVERSE.bold()).append(" lb ").style(AttributedStyle.DEFAULT).append(" ");
        if (s.info() != null) {
            long secs = Math.max(0, (s.nowMillis() - s.info().startedMillis()) / 1000);
            b.style(BOLD).append("run ").append(s.info().runId()).style(AttributedStyle.DEFAULT)
                    .append(" · ").append(s.info().configName())
                    .append(String.format(" · %02d:%02d:%02d", secs / 3600, secs / 60 % 60, secs % 60)).append(" · ");
        }
        b.style(stateStyle(s.runState())).append(s.runState());
        return b.toAttributedString();
    }

    private static AttributedString counts(IngestStats st) {
        AttributedStringBuilder b = new AttributedStringBuilder();
        b.append("events ").style(BOLD).append(Long.toString(st.accepted())).style(AttributedStyle.DEFAULT)
                .append(" (stdout only " + st.stdoutOnly() + " · jsonl only " + st.jsonlOnly() + " · both " + st.both()
                        + ") · duplicates merged " + st.duplicates() + " · ");
        b.style(st.rejected() > 0 ? ALERT : AttributedStyle.DEFAULT).append("rejected " + st.rejected())
                .style(AttributedStyle.DEFAULT).append(" · ");
        b.style(st.gaps() > 0 ? ALERT : AttributedStyle.DEFAULT).append("seq gaps " + st.gaps());
        return b.toAttributedString();
    }

    private AttributedString row(RunState.Row r, long now, HostLoad hostLoad, boolean loadColumn) {
        AttributedStringBuilder b = new AttributedStringBuilder();
        int total = Math.max(1, r.totalRepetitions());
        long finished = r.repetitions().values().stream().filter(v -> !v.equals("running")).count();
        int filled = (int) Math.min(10, finished * 10 / total);
        // Row text comes from targets: inert before it is laid out.
        b.append(String.format("%-16s %-14s %7s ", fit(clean(r.host()), 16), fit(clean(r.workload()), 14),
                r.repetition() + "/" + r.totalRepetitions()));
        b.style(AttributedStyle.DEFAULT.foreground(AttributedStyle.GREEN)).append("█".repeat(filled))
                .style(FAINT).append("░".repeat(10 - filled)).style(AttributedStyle.DEFAULT).append("   ");
        b.style(stateStyle(r.state())).append(String.format("%-11s", fit(r.state(), 11))).style(AttributedStyle.DEFAULT);
        long age = r.lastEventMillis() == 0 ? -1 : now - r.lastEventMillis();
        String ageText = age < 0 ? "-" : age < 60_000 ? String.format("%.1fs", age / 1000.0) : (age / 60_000) + "m";
        boolean silent = "running".equals(r.state()) && age > silentAfterMillis;
        b.append(" ").style(silent ? ALERT.inverse() : AttributedStyle.DEFAULT).append(String.format("%6s", ageText))
                .style(AttributedStyle.DEFAULT).append(String.format(" %7d  ", r.events()));
        if (loadColumn) {
            b.append(String.format(LOAD_COLUMN, hostLoad == null ? "-" : hostLoad.text()));
        }
        b.append(clean(r.lastMessage()));
        return b.toAttributedString();
    }

    private static AttributedString ansible(AnsibleProgress.Snapshot p, long now) {
        AttributedStringBuilder b = new AttributedStringBuilder();
        b.style(FAINT).append("ansible ").style(AttributedStyle.DEFAULT);
        if (p == null) {
            return b.append("starting").toAttributedString();
        }
        // The polling loop first: a long task name may be clipped, the loop's state must not be.
        if (p.polls() > 0) {
            b.append(String.format("polling %d host%s · %d polls · last %.1f s ago · ", p.pollingHosts(),
                    p.pollingHosts() == 1 ? "" : "s", p.polls(), (now - p.lastPollMillis()) / 1000.0));
        }
        b.append(p.play()).append(" > ").append(p.task());
        return b.toAttributedString();
    }

    private static AttributedString logLine(DashboardModel.LogLine l) {
        AttributedStringBuilder b = new AttributedStringBuilder();
        b.style(FAINT).append(TIME.format(Instant.ofEpochMilli(l.millis()))).style(AttributedStyle.DEFAULT).append(" ")
                .style(BOLD).append(l.host()).style(AttributedStyle.DEFAULT).append(" ").append(l.workload()).append(" ")
                .append(l.rep()).append(" ");
        b.style(l.problem() ? ALERT : whatStyle(l.what())).append(l.what()).style(AttributedStyle.DEFAULT).append(" ");
        b.style(FAINT).append(l.src()).style(AttributedStyle.DEFAULT).append(" ").append(l.message());
        return b.toAttributedString();
    }

    private static AttributedString footer(DashboardModel.Snapshot s) {
        if (s.prompt() != null) {
            return new AttributedString(s.prompt(), AttributedStyle.BOLD.inverse());
        }
        if (!s.lastNotice().isEmpty()) {
            return new AttributedStringBuilder().style(WARN).append("! " + s.lastNotice()).style(FAINT)
                    .append("   " + KEYS).toAttributedString();
        }
        return new AttributedString(KEYS, FAINT);
    }

    private static AttributedString rule(String title, int cols) {
        // ASCII on purpose: JLine maps box-drawing characters to the terminal's alternate character set, which
        // some terminals and multiplexers show as letters.
        String text = "-- " + title + " ";
        return new AttributedString(text + "-".repeat(Math.max(0, cols - text.length())), FAINT);
    }

    private static AttributedStyle stateStyle(String state) {
        return switch (state == null ? "" : state) {
            case "done" -> AttributedStyle.BOLD.foreground(AttributedStyle.GREEN);
            case "running", "starting" -> AttributedStyle.DEFAULT.foreground(AttributedStyle.CYAN);
            case "failed", "unreachable", "timed out", "timeout" -> ALERT;
            case "stopped", "interrupted", "skipped" -> WARN;
            case RunState.STABLE -> AttributedStyle.DEFAULT.foreground(AttributedStyle.GREEN);
            default -> FAINT;
        };
    }

    private static AttributedStyle whatStyle(String what) {
        return switch (what) {
            case "WARNING" -> WARN;
            case "ERROR" -> ALERT;
            case "DEBUG" -> FAINT;
            case "result" -> BOLD;
            case "INFO" -> AttributedStyle.DEFAULT;
            default -> stateStyle(what);
        };
    }

    private static String clean(String s) {
        return s == null ? "" : TerminalText.sanitize(s);
    }

    private static String fit(String s, int width) {
        return s.length() <= width ? s : s.substring(0, width - 1) + "…";
    }

    private static AttributedString clip(AttributedString s, int cols) {
        return s.columnLength() <= cols ? s : s.columnSubSequence(0, cols);
    }
}
