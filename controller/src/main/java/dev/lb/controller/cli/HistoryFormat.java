package dev.lb.controller.cli;

import dev.lb.controller.ExitCode;
import picocli.CommandLine.Option;

/** {@code --output text|json|csv} of the history commands that print series. */
final class HistoryFormat {
    @Option(names = "--output", paramLabel = "FORMAT", defaultValue = "text",
            description = "text, json or csv (default: ${DEFAULT-VALUE}); json and csv keep full precision.")
    String output;

    void check() {
        if (!output.matches("text|json|csv")) {
            throw new LbException(ExitCode.USAGE, "--output must be text, json or csv, not '" + output + "'");
        }
    }

    boolean text() {
        return output.equals("text");
    }
}
