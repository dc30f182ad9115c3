package dev.lb.controller.view;

import dev.lb.controller.ansible.AnsibleProgress;
import dev.lb.controller.listener.IngestStats;
import dev.lb.controller.listener.Rejection;
import dev.lb.controller.listener.Sighting;
import dev.lb.controller.state.RunInfo;
import dev.lb.controller.state.RunState;
import dev.lb.protocol.Event;
import dev.lb.protocol.EventType;
import dev.lb.protocol.TerminalText;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the dashboard shows, updated from the ingest thread in O(1) per event and read by the render thread as a
 * {@link Snapshot}. The Log Stream keeps the last {@code capacity} lines; every text is sanitized on the way in,
 * so nothing a target sent can reach the terminal as a control sequence.
 */
public final class DashboardModel {
    /** One Log Stream line, already inert. */
    public record LogLine(long millis, String host, String workload, String rep, String what, String src,
                          String message, boolean problem) {
        boolean matches(String filter) {
            if (filter == null || filter.isEmpty()) {
                return true;
            }
            String f = filter.toLowerCase(Locale.ROOT);
            return host.toLowerCase(Locale.ROOT).contains(f) || what.toLowerCase(Locale.ROOT).equals(f);
        }
    }

    /** A consistent copy for one frame. */
    public record Snapshot(RunInfo info, String runState, long nowMillis, List<RunState.Row> rows,
                           Map<String, HostLoad> hostLoad, List<LogLine> log, IngestStats stats,
                           AnsibleProgress.Snapshot progress, String lastNotice, boolean paused, int scroll,
                           String filter, String prompt) {
    }

    /** A ring entry: an event kept as it came (formatted only if it is ever on screen), or a ready line. */
    private record Entry(Event event, long receivedMillis, LogLine line) {
        LogLine toLine() {
            return line != null ? line : format(event, receivedMillis);
        }

        boolean matches(String filter) {
            if (line != null || filter.isEmpty()) {
                return line == null || line.matches(filter);
            }
            String f = filter.toLowerCase(Locale.ROOT);
            return event.host().toLowerCase(Locale.ROOT).contains(f) || EventLine.what(event).toLowerCase(Locale.ROOT).equals(f);
        }
    }

    private final int capacity;
    private final Deque<Entry> log;
    private RunInfo info;
    private List<RunState.Row> rows = List.of();
    private final Map<String, HostLoad> hostLoad = new HashMap<>();
    private String runState = "starting";
    private IngestStats stats = new IngestStats(0, 0, 0, 0, 0, 0, 0);
    private AnsibleProgress.Snapshot progress;
    private String lastNotice = "";
    private boolean paused;
    private List<Entry> frozen;
    private int scroll;
    private String filter = "";
    private String prompt;
    private long version;

    public DashboardModel(int capacity) {
        this.capacity = capacity;
        this.log = new ArrayDeque<>(Math.min(capacity, 4096));
    }

    public synchronized void started(RunInfo info) {
        this.info = info;
        this.runState = "running";
        version++;
    }

    /**
     * Called per event on the ingest thread: O(1), no formatting (that happens only for lines on screen). A
     * {@code metric} event (one per host per second) updates its host's load in the Event Status table instead of
     * becoming a Log Stream line, which it would flood.
     */
    public synchronized void accepted(Sighting s, List<RunState.Row> rows) {
        if (s.event().type() == EventType.METRIC) {
            HostLoad load = HostLoad.of(s.event(), s.receivedMillis());
            HostLoad previous = hostLoad.get(s.event().host());
            if (load != null && (previous == null || load.millis() >= previous.millis())) {
                hostLoad.put(s.event().host(), load); // a late delivery of an older sample does not win
            }
        } else {
            add(new Entry(s.event(), s.receivedMillis(), null));
        }
        if (rows != null) {
            this.rows = rows;
        }
        version++;
    }

    private static LogLine format(Event e, long receivedMillis) {
        boolean problem = e.status().isFinal() && !e.status().wireName().equals("done")
                && !dev.lb.controller.state.RunState.stableSkip(e)
                || e.level() == dev.lb.protocol.EventLevel.ERROR
                || e.type() == EventType.RESULT && e.errorType() != null; // a result that could not be parsed
        return new LogLine(e.tsMillis() > 0 ? e.tsMillis() : receivedMillis, clean(e.host()), clean(e.workload()),
                e.repetition() + (e.totalRepetitions() != null ? "/" + e.totalRepetitions() : ""), EventLine.what(e),
                e.src() == null ? "-" : clean(e.src()), e.message() == null ? "" : clean(e.message()), problem);
    }

    public synchronized void stats(IngestStats s) {
        stats = s;
        version++;
    }

    public synchronized void rejected(Rejection r) {
        add(new Entry(null, 0, new LogLine(System.currentTimeMillis(), "-", "-", "-", "REJECTED", clean(r.source()),
                clean(r.reason().label() + ": " + r.detail()), true)));
        version++;
    }

    public synchronized void progress(AnsibleProgress.Snapshot p) {
        progress = p;
        version++;
    }

    public synchronized void notice(String message) {
        lastNotice = clean(message);
        add(new Entry(null, 0, new LogLine(System.currentTimeMillis(), "lb", "-", "-", "NOTICE", "lb", lastNotice, true)));
        version++;
    }

    public synchronized void finished(String outcome, List<RunState.Row> rows) {
        runState = outcome;
        this.rows = rows;
        version++;
    }

    /** Rows are refreshed from the run state at most once a frame, not per event. */
    public synchronized void rows(List<RunState.Row> rows) {
        this.rows = rows;
    }

    private void add(Entry l) {
        if (log.size() == capacity) {
            log.removeFirst();
        }
        log.addLast(l);
    }

    // ---- keys ---------------------------------------------------------------------------------------------------

    public synchronized void togglePause() {
        paused = !paused;
        frozen = paused ? new ArrayList<>(log) : null;
        version++;
    }

    public synchronized void scroll(int delta) {
        scroll = Math.max(0, Math.min(capacity, scroll + delta));
        version++;
    }

    public synchronized void filter(String f) {
        filter = f == null ? "" : clean(f.trim());
        scroll = 0;
        version++;
    }

    public synchronized void prompt(String p) {
        prompt = p == null ? null : clean(p);
        version++;
    }

    public synchronized long version() {
        return version;
    }

    /**
     * A frame's worth: only the newest {@code maxLines} log lines (after scrolling and filtering) are formatted,
     * so the cost of a frame does not grow with the number of events.
     */
    public synchronized Snapshot snapshot(long now, int maxLines) {
        java.util.Iterator<Entry> newestFirst = paused ? new java.util.ArrayDeque<>(frozen).descendingIterator()
                : log.descendingIterator();
        int skip = scroll;
        ArrayDeque<LogLine> lines = new ArrayDeque<>(Math.min(maxLines, 256));
        while (newestFirst.hasNext() && lines.size() < maxLines) {
            Entry e = newestFirst.next();
            if (!e.matches(filter)) {
                continue;
            }
            if (skip > 0) {
                skip--;
                continue;
            }
            lines.addFirst(e.toLine());
        }
        return new Snapshot(info, runState, now, rows, Map.copyOf(hostLoad), new ArrayList<>(lines), stats, progress, lastNotice, paused,
                scroll - skip, filter, prompt);
    }

    public Snapshot snapshot(long now) {
        return snapshot(now, 500);
    }

    private static String clean(String s) {
        return TerminalText.sanitize(s);
    }
}
