package dev.lb.controller.view;

import dev.lb.controller.listener.RunListener;
import dev.lb.controller.ansible.AnsibleProgress;
import dev.lb.controller.listener.Rejection;
import dev.lb.controller.listener.Sighting;
import dev.lb.controller.state.RunInfo;
import dev.lb.controller.state.RunState;
import dev.lb.controller.state.RunSummary;
import dev.lb.protocol.EventType;
import dev.lb.protocol.TerminalText;
import java.io.PrintWriter;

/**
 * One readable line per event (but {@code metric} events, which are counted and left to the journal), plus compact
 * progress: the current task when it changes, and the polling loop as
 * one line updated in place on a terminal (a periodic line otherwise), never a line per poll.
 */
public final class PlainView implements RunListener {
    private static final long PERIODIC_MS = 10_000;
    private static final int MAX_REJECTION_LINES = 50;

    private final AsyncPrinter printer;
    private final boolean tty;
    private String lastPlay = "";
    private long lastPeriodic;
    private boolean statusLineShown;
    private long rejections;
    private volatile long metricEvents; // written by the ingest thread only

    public PlainView(PrintWriter out, boolean tty) {
        this.printer = new AsyncPrinter(out, 1 << 16);
        this.tty = tty;
    }

    @Override
    public void started(RunInfo info) {
        line("lb run " + info.runId() + " (" + info.configName() + "): " + info.hosts().size() + " host(s) x "
                + info.workloads().size() + " workload(s) x " + info.repetitions() + " repetition(s); run directory "
                + info.runDir());
    }

    @Override
    public void accepted(Sighting s, RunState state) {
        if (s.event().type() == EventType.METRIC) {
            metricEvents++; // one per host per second would bury every other line; the journal has them all
            return;
        }
        line(EventLine.format(s.event(), s.receivedMillis()));
    }

    @Override
    public void rejected(Rejection r) {
        if (++rejections <= MAX_REJECTION_LINES) {
            line("rejected " + r.describe());
        } else if (rejections == MAX_REJECTION_LINES + 1) {
            line("rejected: more rejections follow; counts by reason are in the summary");
        }
    }

    @Override
    public synchronized void progress(AnsibleProgress.Snapshot p) {
        if (!p.play().equals(lastPlay)) {
            lastPlay = p.play();
            line("-- " + TerminalText.sanitize(p.play()));
        }
        long now = System.currentTimeMillis();
        String polling = p.polls() == 0 ? "" : String.format("polling %d host%s · %d polls · last %.1f s ago",
                p.pollingHosts(), p.pollingHosts() == 1 ? "" : "s", p.polls(), (now - p.lastPollMillis()) / 1000.0);
        if (tty) {
            // One line, rewritten in place: the task and the polling loop. Clipped so it never wraps.
            String status = TerminalText.sanitize(p.task()) + (polling.isEmpty() ? "" : " · " + polling);
            printer.print("\r\u001b[2K" + (status.length() > 119 ? status.substring(0, 119) : status));
            statusLineShown = true;
        } else if (!polling.isEmpty() && now - lastPeriodic >= PERIODIC_MS) {
            lastPeriodic = now;
            line(polling);
        }
    }

    @Override
    public void notice(String message) {
        line("! " + message);
    }

    @Override
    public void finished(RunSummary s) {
        line("");
        SummaryText.lines(s).forEach(this::line);
        if (metricEvents > 0) {
            line("(" + metricEvents + " system metric events not printed: they are in the journal, and in"
                    + " --output json)");
        }
        if (printer.skipped() > 0) {
            line("(" + printer.skipped() + " display lines skipped because the terminal was slower than the events;"
                    + " every event is in the journal)");
        }
        try {
            printer.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void line(String text) {
        if (statusLineShown) {
            printer.print("\r\u001b[2K");
            statusLineShown = false;
        }
        // The one way out of the plain view: whatever a line quotes (event text, the config's name, a rejected
        // payload, a path) is shown inert.
        printer.print(TerminalText.sanitize(text) + "\n");
    }
}
