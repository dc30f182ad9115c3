package dev.lb.controller.view;

import dev.lb.controller.listener.RunListener;
import dev.lb.controller.listener.Sighting;
import dev.lb.controller.state.RunState;
import dev.lb.controller.state.RunSummary;
import java.io.PrintWriter;

/** Each accepted event as one JSON line on stdout, for jq; the summary goes to stderr. */
public final class JsonView implements RunListener {
    private final AsyncPrinter printer;
    private final PrintWriter err;

    public JsonView(PrintWriter out, PrintWriter err) {
        this.printer = new AsyncPrinter(out, 1 << 18);
        this.err = err;
    }

    @Override
    public void accepted(Sighting s, RunState state) {
        printer.print(s.payloadJson() + "\n");
    }

    @Override
    public void notice(String message) {
        err.println("lb: " + message);
    }

    @Override
    public void finished(RunSummary summary) {
        try {
            printer.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (printer.skipped() > 0) {
            err.println("lb: " + printer.skipped() + " events were not printed because stdout was too slow; all are in"
                    + " the journal");
        }
        SummaryText.lines(summary).forEach(err::println);
        err.flush();
    }
}
