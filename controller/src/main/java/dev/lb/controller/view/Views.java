package dev.lb.controller.view;

import dev.lb.controller.listener.RunListener;
import java.io.PrintWriter;
import java.util.Optional;
import org.jline.terminal.Terminal;

/** Picks the view for an output mode: the dashboard only on a real terminal, so pipes never get escape codes. */
public final class Views {
    private Views() {
    }

    public static RunListener forRun(String output, PrintWriter out, PrintWriter err, boolean waitAtEnd,
                                     TuiView.QuitAction quit) {
        boolean console = System.console() != null;
        if (output.equals("json")) {
            return new JsonView(out, err);
        }
        if (output.equals("plain")) {
            return new PlainView(out, console);
        }
        Optional<Terminal> terminal = Terminals.forDashboard(System.getenv("TERM"), console);
        if (terminal.isPresent()) {
            return new TuiView(terminal.get(), out, 2000, 15, 10_000, waitAtEnd, quit);
        }
        if (output.equals("tui")) {
            err.println("lb: not a terminal (or TERM is dumb): using the plain view");
        }
        return new PlainView(out, false);
    }
}
