package dev.lb.controller.view;

import java.io.IOException;
import java.util.Optional;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/** The user's terminal for the dashboard, or nothing when there is no real one (not a TTY, TERM=dumb). */
public final class Terminals {
    private Terminals() {
    }

    public static Optional<Terminal> forDashboard(String termEnv, boolean consolePresent) {
        if (!consolePresent || termEnv == null || termEnv.isBlank() || termEnv.startsWith("dumb")) {
            return Optional.empty();
        }
        try {
            // lb handles SIGINT itself (first Ctrl-C stops properly, the second ends at once): JLine must not.
            Terminal t = TerminalBuilder.builder().system(true).dumb(false).nativeSignals(false)
                    .signalHandler(Terminal.SignalHandler.SIG_IGN).build();
            if (t.getType() == null || t.getType().startsWith("dumb")) {
                t.close();
                return Optional.empty();
            }
            return Optional.of(t);
        } catch (IOException | IllegalStateException e) {
            return Optional.empty();
        }
    }
}
